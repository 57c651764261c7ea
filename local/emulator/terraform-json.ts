import { DURATION_PATTERN, durationSeconds } from "../../config/duration";

// The reader of synthesized Terraform JSON is stacks/terraform-json.ts, shared with the guardrails;
// the emulator's importers keep this path.
export { block, isExpression, referencedName, resourcesOfType, type TerraformJson } from "../../stacks/terraform-json";

/** "600s" / "3.5s" (Google API duration) -> { seconds, nanos }, as the Pub/Sub client takes it. */
export function duration(value: unknown): { seconds: number; nanos: number } | undefined {
  if (typeof value !== "string" || !DURATION_PATTERN.test(value)) return undefined;
  const total = durationSeconds(value);
  const seconds = Math.floor(total);
  return { seconds, nanos: Math.round((total - seconds) * 1e9) };
}
