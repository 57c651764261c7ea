/**
 * The message on the reconcile-requests topic. Cloud Scheduler cannot template dates, so the nightly
 * job sends `run_date: "previous_day"` and the reconciliation function resolves it from the
 * message's publish time in the schedule's time zone; an operator may send a calendar day instead.
 */
export const PREVIOUS_DAY = "previous_day";

export interface ReconcileRequest {
  /** "YYYY-MM-DD", or "previous_day". */
  run_date: string;
}

/** What the nightly schedule publishes. */
export const NIGHTLY_RECONCILE_REQUEST: ReconcileRequest = { run_date: PREVIOUS_DAY };
