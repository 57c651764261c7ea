export { applyGuardrails, suppressGuardrail, writeGuardrailReport, GuardrailAspect, type Guardrails, type GuardrailOptions } from "./guardrails";
export { evaluateRules, formatViolation, type GuardrailResult, type Violation } from "./evaluate";
export { iamGrants, type IamGrant } from "./iam-grants";
export { RULES } from "./rules";
export type { GuardrailRule, Finding } from "./rule";
export type { Suppression } from "./suppressions";
export { TerraformView } from "./terraform-view";
export { iamAllowListLines } from "./iam-allowlist";
