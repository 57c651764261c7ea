import type { Logger } from "../runtime/logger";
import { TransientWarehouseError } from "../runtime/warehouse";
import { reconcile, type ReconcileDeps, type ReconcileOutcome, type ReconcileSettings } from "./reconcile";
import { InvalidRunDateError, resolveRunDate } from "./run-date";
import { BadRunRequestError, type RunRequest } from "./trigger";

/** The HTTP answer: 2xx acks a push message; anything else makes Pub/Sub redeliver it (with backoff). */
export interface RunResponse {
  status: number;
  body: Record<string, unknown>;
}

/**
 * RunRequest -> reconcile() -> HTTP status. Completed runs (pass, warn, fail) and late_source are
 * 200: retrying would not change them. A ledger export not complete yet is 503 so the request comes back;
 * an error is 500 (also retried); a request without a usable run_date is 400.
 */
export class ReconciliationHandler {
  constructor(
    private readonly deps: ReconcileDeps,
    private readonly settings: ReconcileSettings,
  ) {}

  async handle(request: () => RunRequest, log: Logger = this.deps.logger): Promise<RunResponse> {
    let runDate: string;
    try {
      const r = request();
      runDate = resolveRunDate(r.requested, r.requestedAt, this.settings.timeZone);
      log.info({ run_date: runDate, requested: r.requested, via: r.via, message_id: r.messageId }, "reconciliation requested");
    } catch (e) {
      if (e instanceof BadRunRequestError || e instanceof InvalidRunDateError) {
        log.error({ event: "bad_run_request", error_detail: e.message }, "rejected a reconciliation request");
        return { status: 400, body: { error: e.message } };
      }
      throw e;
    }
    try {
      return respond(await reconcile({ ...this.deps, logger: log }, this.settings, runDate));
    } catch (e) {
      const transient = e instanceof TransientWarehouseError;
      return { status: transient ? 503 : 500, body: { error: (e as Error).message, run_date: runDate, retryable: transient } };
    }
  }
}

function respond(o: ReconcileOutcome): RunResponse {
  switch (o.outcome) {
    case "source_pending":
      return { status: 503, body: { outcome: o.outcome, run_date: o.runDate, ledger_deadline: o.ledgerDeadline, reason: o.reason } };
    case "late_source":
      return { status: 200, body: { outcome: o.outcome, run: o.run } };
    case "completed":
      return { status: 200, body: { outcome: o.outcome, run: o.run, summary: o.summary, repaired_rows: o.repairedRows } };
  }
}
