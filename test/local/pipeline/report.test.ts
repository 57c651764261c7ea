import type { CuratedRow, DeadLetterRow, ReconciliationDiscrepancyRow, ReconciliationRunRow } from "../../../contracts";
import { measure, renderMarkdown, type PipelineReport } from "../../../local/pipeline/report";
import { runProblems } from "../../../local/pipeline/verdict";

const curated = (id: string, over: Partial<CuratedRow> = {}): CuratedRow =>
  ({
    event_id: id,
    event_type: "order.placed",
    occurred_at: "2024-05-02T10:00:00Z",
    ingest_time: "2024-05-02T10:00:02Z",
    source: "stream",
    is_late: false,
    enrichment_status: "complete",
    ...over,
  }) as CuratedRow;

const deadLetter = (eventId: string, reason: string | undefined, asBytes = false): DeadLetterRow =>
  ({
    message_id: `m-${eventId}`,
    publish_time: "2024-05-02T10:00:00Z",
    ...(asBytes ? { data: Buffer.from(JSON.stringify({ event_id: eventId })).toString("base64") } : { payload_string: JSON.stringify({ event_id: eventId }) }),
    ...(reason ? { reason } : {}),
  }) as DeadLetterRow;

const run = (over: Partial<ReconciliationRunRow> = {}): ReconciliationRunRow =>
  ({
    run_id: "r-1",
    run_date: "2024-05-02",
    status: "fail",
    stream_orders: 9,
    ledger_orders: 12,
    stream_revenue_usd: "186.2",
    ledger_revenue_usd: "271.5",
    count_drift_ratio: 0.25,
    revenue_drift_ratio: 0.3142,
    duration_ms: 1234,
    missing_in_stream: 3,
    extra_in_stream: 2,
    duplicate_in_stream: 1,
    amount_mismatch: 1,
    late_arrival: 0,
    explained_by_dlq: 2,
    ...over,
  }) as ReconciliationRunRow;

const example = (kind: string, order: string, runId = "r-1"): ReconciliationDiscrepancyRow => ({ run_id: runId, run_date: "2024-05-02", kind, order_id: order }) as ReconciliationDiscrepancyRow;

describe("measure()", () => {
  const m = measure({
    curated: [
      curated("e1"),
      curated("e2", { ingest_time: "2024-05-02T10:00:04Z", is_late: true, enrichment_status: "unknown_sku" }),
      // Repair rows are not stream rows: not counted as curated by the stream.
      curated("e3", { source: "ledger_repair" }),
    ],
    deadLetters: [deadLetter("p1", "schema_violation"), deadLetter("p2", "missing_required_field", true), deadLetter("p3", undefined)],
    run: run(),
    discrepancies: [example("missing_in_stream", "O-1"), example("missing_in_stream", "O-2"), example("missing_in_stream", "O-3"), example("missing_in_stream", "O-4"), example("amount_mismatch", "O-9"), example("extra_in_stream", "O-X", "r-superseded")],
    poisonEventIds: ["p1", "p2", "p3", "p4"],
  });

  it("counts stream rows, late rows and statuses; freshness from ingest - occurred", () => {
    expect(m.curated).toBe(2);
    expect(m.late_rows).toBe(1);
    expect(m.enrichment_status).toEqual({ complete: 1, unknown_sku: 1 });
    expect(m.freshness_s).toEqual(expect.objectContaining({ max: 4 }));
  });

  it("counts poison as dead-lettered only with a reason, payload as string or bytes", () => {
    expect(m.dead_lettered).toBe(3);
    expect(m.dead_letters_by_reason).toEqual({ schema_violation: 1, missing_required_field: 1, "(none)": 1 });
    expect(m.poison).toEqual({ injected: 4, dead_lettered_with_reason: 2, missing: ["p3", "p4"] });
  });

  it("takes the per-kind counts from the run row and at most 3 examples per kind of that run only", () => {
    expect(m.reconciliation).toEqual({ missing_in_stream: 3, extra_in_stream: 2, duplicate_in_stream: 1, amount_mismatch: 1, late_arrival: 0, explained_by_dlq: 2 });
    expect(m.reconciliation_run?.first_discrepancies.map((d) => d.order_id)).toEqual(["O-1", "O-2", "O-3", "O-9"]);
  });

  it("reports no run as null and zero counts", () => {
    const none = measure({ curated: [], deadLetters: [], run: undefined, discrepancies: [], poisonEventIds: [] });
    expect(none.reconciliation_run).toBeNull();
    expect(Object.values(none.reconciliation)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

/** A report of a run that did everything right. */
function goodReport(): PipelineReport {
  const expected = { missing_in_stream: 3, extra_in_stream: 2, duplicate_in_stream: 1, amount_mismatch: 1, late_arrival: 0, explained_by_dlq: 2 };
  const measured = measure({ curated: [curated("e1")], deadLetters: [deadLetter("p1", "schema_violation")], run: run(), discrepancies: [], poisonEventIds: ["p1"] });
  return {
    seed: 1,
    rate_per_second: 100,
    run_date: "2024-05-02",
    started_at: "2024-05-02T10:00:00Z",
    stream_started_at: "2024-05-02T10:00:01Z",
    duration_ms: 20_000,
    published: 3,
    publish_rejected: 0,
    ...measured,
    duplicates_dropped: 1,
    conflicting_copies: 0,
    balanced: true,
    raw_mirrored: 3,
    drained: true,
    injected: {} as PipelineReport["injected"],
    expected_discrepancies: expected,
    reconciliation_matches_injected: true,
    bridged: [{ subscription: "dead-letters", table: "ops.dead_letters", rows: 1 }],
    not_exercised: ["filters"],
    processes: [],
    timings_ms: {},
  };
}

describe("renderMarkdown()", () => {
  it("shows the balance, the run and found vs injected per kind", () => {
    const md = renderMarkdown(goodReport());
    expect(md).toContain("| published = curated + dead letters + duplicates | yes (3 vs 3) |");
    expect(md).toContain("| injected poison dead-lettered with a reason | 1 / 1 |");
    expect(md).toContain("run r-1: **fail**");
    expect(md).toContain("| missing_in_stream | 3 | 3 |");
    expect(md).toContain("Found exactly the injected drift: yes");
    expect(md).toContain("- dead-letters -> ops.dead_letters: 1 rows");
  });

  it("says NO when the counts do not balance, and that no run was recorded", () => {
    const md = renderMarkdown({ ...goodReport(), balanced: false, reconciliation_run: null });
    expect(md).toContain("| published = curated + dead letters + duplicates | **NO**");
    expect(md).toContain("No reconciliation run was recorded.");
  });
});

describe("runProblems() (npm start's exit code)", () => {
  it("finds nothing wrong with a good run", () => {
    expect(runProblems(goodReport())).toEqual([]);
  });

  it("names each failure: balance, drift per kind, poison, run status, drain", () => {
    const r = goodReport();
    expect(runProblems({ ...r, balanced: false })).toEqual([expect.stringContaining("counts do not balance: published 3 != curated 1")]);
    expect(runProblems({ ...r, reconciliation: { ...r.reconciliation, late_arrival: 18 } })).toEqual([
      "the reconciliation did not find exactly the injected drift: late_arrival found 18, injected 0",
    ]);
    expect(runProblems({ ...r, poison: { injected: 2, dead_lettered_with_reason: 1, missing: ["p2"] } })).toEqual([expect.stringContaining("1 of 2 (missing e.g. p2)")]);
    expect(runProblems({ ...r, reconciliation_run: { ...r.reconciliation_run!, status: "error" } })).toEqual(["the reconciliation run r-1 ended in error"]);
    expect(runProblems({ ...r, reconciliation_run: { ...r.reconciliation_run!, status: "late_source" } })).toEqual(["the reconciliation run r-1 ended in late_source"]);
    expect(runProblems({ ...r, reconciliation_run: null })).toEqual(["no reconciliation run was recorded"]);
    expect(runProblems({ ...r, drained: false })).toEqual(["the subscriptions did not drain before the timeout"]);
  });
});
