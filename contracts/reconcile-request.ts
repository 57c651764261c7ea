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

/** The one field of the message, for readers that check it is present. */
export const RUN_DATE_FIELD = "run_date" satisfies keyof ReconcileRequest;

/** The message's shape as error messages show it to an operator. */
export const RECONCILE_REQUEST_SHAPE = `{"${RUN_DATE_FIELD}":"YYYY-MM-DD"|"${PREVIOUS_DAY}"}`;

/** What the nightly schedule publishes. */
export const NIGHTLY_RECONCILE_REQUEST: ReconcileRequest = { run_date: PREVIOUS_DAY };
