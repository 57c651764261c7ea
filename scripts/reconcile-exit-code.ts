import type { ReconcileOutcome } from "../functions/reconciliation/reconcile";

/** Exit codes of `npm run reconcile` (README "Reconcile a day by hand"). */
export const RECONCILE_EXIT = {
  pass: 0,
  /** A completed run whose status is at or above --fail-on. */
  drift: 1,
  /** The ledger is not complete yet (source_pending) or never was (late_source). */
  sourceNotReady: 2,
  /** The reconciliation itself failed (the run is recorded as `error`). */
  error: 3,
  /** Bad options or state folder: nothing ran. */
  usage: 64,
} as const;

export type FailOn = "fail" | "warn";

/** One day's result: an outcome, or the error the run threw. */
export type DayResult = { outcome: ReconcileOutcome } | { error: unknown };

/** The exit code of one day. */
export function exitCodeOfDay(day: DayResult, failOn: FailOn): number {
  if ("error" in day) return RECONCILE_EXIT.error;
  const o = day.outcome;
  if (o.outcome !== "completed") return RECONCILE_EXIT.sourceNotReady;
  const status = o.run.status;
  if (status === "fail" || (status === "warn" && failOn === "warn")) return RECONCILE_EXIT.drift;
  return RECONCILE_EXIT.pass;
}

/** The exit code of a range: its worst day (error > pending/late > drift > pass). */
export function exitCodeOf(days: readonly DayResult[], failOn: FailOn): number {
  return days.reduce<number>((worst, d) => Math.max(worst, exitCodeOfDay(d, failOn)), RECONCILE_EXIT.pass);
}
