import type { IConstruct } from "constructs";
import { addDays, isCalendarDate, startOfDayMs } from "../../config/calendar-date";
import type { Finding, GuardrailRule } from "./rule";

/** A written exception to one rule for one construct and everything under it. */
export interface Suppression {
  /** Rule id, e.g. "BQ-003". */
  readonly rule: string;
  /** Why the rule does not apply here: at least 10 characters, read in review. */
  readonly reason: string;
  /** Last day (UTC, "YYYY-MM-DD") the suppression holds; after it the suppression is itself a violation. Default: never. */
  readonly expires?: string;
}

/** A suppression as found on the construct tree. */
export interface PlacedSuppression extends Suppression {
  /** Construct path it was placed on; it covers findings at this path and below. */
  readonly path: string;
}

export const SUPPRESSION_METADATA = "streamline:guardrail-suppression";
const MIN_REASON_LENGTH = 10;

export const expiredSuppressionRule: Omit<GuardrailRule, "check"> = {
  id: "GR-001",
  title: "Suppressions are current",
  rationale: "An exception granted for a while must be re-decided when it lapses, not live on unnoticed.",
  fix: "Fix the suppressed violations and remove the suppression, or renew it with a new expiry and an updated reason.",
};

/**
 * Suppresses `suppression.rule` on `scope` and everything under it. Rejected at once (with the
 * construct path) when the reason is under 10 characters, the rule is unknown, or the date is invalid.
 */
export function suppressGuardrail(scope: IConstruct, suppression: Suppression, knownRuleIds: readonly string[]): void {
  const where = scope.node.path;
  if (!knownRuleIds.includes(suppression.rule)) throw new Error(`guardrail suppression at ${where}: unknown rule "${suppression.rule}"`);
  if (suppression.reason.trim().length < MIN_REASON_LENGTH) {
    throw new Error(`guardrail suppression of ${suppression.rule} at ${where}: the reason must be at least ${MIN_REASON_LENGTH} characters`);
  }
  if (suppression.expires !== undefined && !isCalendarDate(suppression.expires)) {
    throw new Error(`guardrail suppression of ${suppression.rule} at ${where}: expires must be a date like "2026-06-30", got "${suppression.expires}"`);
  }
  scope.node.addMetadata(SUPPRESSION_METADATA, { ...suppression });
}

export function suppressionsOn(scope: IConstruct): PlacedSuppression[] {
  return scope.node.metadata.filter((m) => m.type === SUPPRESSION_METADATA).map((m) => ({ ...(m.data as Suppression), path: scope.node.path }));
}

export function isExpired(s: Suppression, now: Date): boolean {
  if (s.expires === undefined) return false;
  return now.getTime() >= startOfDayMs(addDays(s.expires, 1));
}

export function covers(s: PlacedSuppression, f: Finding): boolean {
  return s.rule === f.ruleId && (f.path === s.path || f.path.startsWith(`${s.path}/`));
}
