import type { Environment } from "../../config";
import { RULES } from "./rules";
import type { Finding, GuardrailRule, RuleContext } from "./rule";
import { covers, expiredSuppressionRule, isExpired, type PlacedSuppression } from "./suppressions";
import type { TerraformView } from "./terraform-view";

/** A finding no current suppression covers: it fails synth. */
export interface Violation extends Finding {
  readonly fix: string;
}

export interface SuppressionOutcome extends PlacedSuppression {
  readonly expired: boolean;
  /** The findings it covers (still violations when it has expired). */
  readonly covered: readonly Finding[];
}

export interface GuardrailResult {
  readonly stack: string;
  readonly environment: Environment;
  /** Every rule checked, GR-001 (expired suppressions) included. */
  readonly rules: readonly Omit<GuardrailRule, "check">[];
  readonly violations: readonly Violation[];
  readonly suppressions: readonly SuppressionOutcome[];
}

export interface EvaluationInput {
  readonly view: TerraformView;
  readonly environment: Environment;
  readonly cmekRequired: boolean;
  readonly labelableAddresses: ReadonlySet<string>;
  readonly suppressions: readonly PlacedSuppression[];
  /** When suppressions are judged for expiry. */
  readonly now: Date;
  readonly rules?: readonly GuardrailRule[];
}

/** Runs every rule once over the whole stack, then applies suppressions. Pure: no I/O. */
export function evaluateRules(input: EvaluationInput): GuardrailResult {
  const rules = input.rules ?? RULES;
  const ctx: RuleContext = { view: input.view, environment: input.environment, cmekRequired: input.cmekRequired, labelableAddresses: input.labelableAddresses };
  const findings = rules.flatMap((r) => r.check(ctx));
  const fixOf = new Map<string, string>([...rules, expiredSuppressionRule].map((r) => [r.id, r.fix]));

  const outcomes: SuppressionOutcome[] = input.suppressions.map((s) => ({ ...s, expired: isExpired(s, input.now), covered: findings.filter((f) => covers(s, f)) }));
  const current = outcomes.filter((s) => !s.expired);
  const open = findings.filter((f) => !current.some((s) => covers(s, f)));
  const expired: Finding[] = outcomes
    .filter((s) => s.expired)
    .map((s) => ({ ruleId: expiredSuppressionRule.id, address: s.path, path: s.path, message: `suppression of ${s.rule} expired on ${s.expires} (reason was: ${s.reason})` }));

  const violations = [...open, ...expired]
    .map((f) => ({ ...f, fix: fixOf.get(f.ruleId) ?? "" }))
    .sort((a, b) => a.ruleId.localeCompare(b.ruleId) || a.path.localeCompare(b.path) || a.message.localeCompare(b.message));
  return {
    stack: input.view.stackName,
    environment: input.environment,
    rules: [...rules, expiredSuppressionRule].map((r) => ({ id: r.id, title: r.title, rationale: r.rationale, fix: r.fix, checkov: r.checkov, trivy: r.trivy })),
    violations,
    suppressions: outcomes,
  };
}

/** One line per violation: rule id, construct path, Terraform address, what is wrong, the fix. */
export function formatViolation(v: Violation): string {
  return `${v.ruleId} ${v.path} (${v.address}): ${v.message}. Fix: ${v.fix}`;
}
