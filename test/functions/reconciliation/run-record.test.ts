import { opsReconciliationRuns } from "../../../contracts/tables";
import { completedRunRecord, incompleteRunRecord, runRecordParams, type RunIdentity, type RunRecord } from "../../../functions/reconciliation/run-record";

const id: RunIdentity = { run_id: "run-1", run_date: "2026-11-30", environment: "dev", code_version: "v1", config_hash: "abc", started_at: new Date("2026-12-01T01:30:00Z") };
const finished = new Date("2026-12-01T01:30:02Z");
const columns = Object.keys(opsReconciliationRuns.fields).sort();

test("a completed and an incomplete run fill exactly the contract's columns, each typed by it", () => {
  const completed = completedRunRecord(id, finished, 1024, {
    status: "warn",
    streamOrders: 99,
    ledgerOrders: 100,
    streamRevenueUsd: "990.00",
    ledgerRevenueUsd: "1000.00",
    counts: { missing_in_stream: 1, extra_in_stream: 0, duplicate_in_stream: 0, amount_mismatch: 0, late_arrival: 0, explained_by_dlq: 0 },
    ratios: { count: 0.01, revenue: 0.01 },
    thresholds: { countDriftRatio: 0.005, revenueDriftRatio: 0.02 },
    trend: { count: null, revenue: null },
    lostInEnrichment: 0,
    paritySampled: 200,
    parityMismatch: 0,
  });
  const late = incompleteRunRecord(id, finished, "late_source", "ledger not loaded");
  for (const run of [completed, late]) {
    expect(Object.keys(run).sort()).toEqual(columns);
    const params = runRecordParams(run);
    expect(Object.keys(params).sort()).toEqual(columns);
    expect(params.stream_revenue_usd.type).toBe("NUMERIC");
  }
  expect(completed).toMatchObject({ status: "warn", duration_ms: 2000, missing_in_stream: 1, error_message: null });
  expect(late).toMatchObject({ status: "late_source", stream_orders: null, missing_in_stream: null, error_message: "ledger not loaded" });
});

test("the record type is the contract's (checked by tsc): a missing column or a status outside the contract does not compile", () => {
  const run = incompleteRunRecord(id, finished, "error", "boom");
  // @ts-expect-error lost_in_enrichment is a column of ops.reconciliation_runs
  const withoutColumn: RunRecord = (({ lost_in_enrichment: _dropped, ...rest }) => rest)(run);
  // @ts-expect-error "skipped" is not one of the contract's RUN_STATUSES
  const badStatus: RunRecord = { ...run, status: "skipped" };
  expect([withoutColumn.status, badStatus.status]).toEqual(["error", "skipped"]);
});
