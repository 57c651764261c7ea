import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startZetaSql, type ZetaSqlSession } from "../../local/zetasql";
import type { QueryParam, Row } from "../../functions/runtime/warehouse";
import type { DiscrepancyRow } from "../../functions/reconciliation/discrepancies";
import type { SummaryRow } from "../../functions/reconciliation/reconcile";
import { combineDiscrepancies, combineSummaries, shardParams } from "../../functions/reconciliation/shards";
import { loadReconciliationSql } from "../../functions/reconciliation/sql-files";
import { findSqlDir } from "../../functions/runtime/sql-files";
import { curatedEvent, fixtureTables, LATE_ALLOWANCE_HOURS, ledgerOrder, RUN_DATE, STORES } from "./fixtures/reconciliation-day";

// As the function loads them: the shared order sides included.
const { discrepancies: discrepanciesSql, summary: summarySql } = loadReconciliationSql();

let zs: ZetaSqlSession;
beforeAll(async () => {
  zs = await startZetaSql();
});
afterAll(async () => {
  await zs?.close();
});

const params = (topK = 20): Record<string, QueryParam> => ({
  run_date: { type: "DATE", value: RUN_DATE },
  late_allowance_hours: { type: "INT64", value: LATE_ALLOWANCE_HOURS },
  top_k: { type: "INT64", value: topK },
  amount_tolerance: { type: "NUMERIC", value: "0.005" },
});

type Tables = Parameters<ZetaSqlSession["evaluateQuery"]>[1];

/** Evaluates a reconciliation query as `shardCount` order_id shards, combined as reconcile() does. */
async function discrepancies(tables: Tables, shardCount: number, topK = 20): Promise<Row[]> {
  const shards: DiscrepancyRow[][] = [];
  for (let shard = 0; shard < shardCount; shard++) {
    shards.push((await zs.evaluateQuery(discrepanciesSql, tables, { ...params(topK), ...shardParams(shard, shardCount) })).rows as unknown as DiscrepancyRow[]);
  }
  // Every shard must hold some discrepancy for a 3-way split to prove anything.
  if (shardCount > 1) expect(shards.filter((s) => s.length > 0).length).toBeGreaterThan(1);
  return combineDiscrepancies(shards, topK) as unknown as Row[];
}

async function summary(tables: Tables, shardCount: number): Promise<Row[]> {
  const shards: SummaryRow[][] = [];
  for (let shard = 0; shard < shardCount; shard++) {
    shards.push((await zs.evaluateQuery(summarySql, tables, { ...params(), ...shardParams(shard, shardCount) })).rows as unknown as SummaryRow[]);
  }
  return combineSummaries(shards) as unknown as Row[];
}

const row = (kind: string, order_id: string, over: Partial<Row> & { kind_rows: number }): Row => ({
  kind,
  order_id,
  store_id: "S-AMS",
  channel: "store",
  field: null,
  stream_value: null,
  ledger_value: null,
  difference: null,
  detail: null,
  kind_orders: over.kind_rows,
  ...over,
});

describe.each([1, 3])("sql/reconciliation/discrepancies.sql evaluated by ZetaSQL over the fixture day in %i order_id shard(s)", (shardCount) => {
  it("finds exactly the planted discrepancies, one row each, nothing for matched or both-cancelled orders", async () => {
    expect(await discrepancies(fixtureTables(), shardCount)).toEqual([
      // 20.00 streamed vs 25.50 booked.
      row("amount_mismatch", "O-AMOUNT", { field: "amount_usd", stream_value: "20", ledger_value: "25.5", difference: "-5.5", kind_rows: 1 }),
      // One event written twice: counted before dedupe, matched after it (no missing/extra for O-DUP).
      row("duplicate_in_stream", "O-DUP", { field: "rows", stream_value: "2", detail: "2 rows, 1 event_ids", kind_rows: 1 }),
      // Avro-JSON payload ({"order_id":{"string":...}}) landed with its reason.
      row("explained_by_dlq", "O-DLQ", { ledger_value: "21.6", detail: "dead-lettered: schema_violation", kind_rows: 2 }),
      // BigQuery-subscription shape: only bytes and attributes, plain JSON payload.
      row("explained_by_dlq", "O-DLQ-RAW", { store_id: "S-LAX", ledger_value: "21.6", detail: "dead-lettered: max_delivery_attempts", kind_rows: 2 }),
      row("extra_in_stream", "O-CANCEL-LEDGER", { stream_value: "21.6", detail: "cancelled in ledger", kind_rows: 2 }),
      row("extra_in_stream", "O-EXTRA", { store_id: "S-LAX", channel: "app", stream_value: "15", kind_rows: 2 }),
      // Amsterdam closed at 22:00Z.
      row("late_arrival", "O-LATE", { field: "ingest_time", stream_value: "2024-05-03T01:00:00Z", detail: "day closed at 2024-05-02T22:00:00Z", kind_rows: 2 }),
      // Tokyo closed at 15:00Z, while it was still 2024-05-02 in UTC.
      row("late_arrival", "O-TYO-LATE", { store_id: "S-TYO", field: "ingest_time", stream_value: "2024-05-02T15:30:00Z", detail: "day closed at 2024-05-02T15:00:00Z", kind_rows: 2 }),
      row("missing_in_stream", "O-CANCEL-STREAM", { ledger_value: "21.6", detail: "cancelled in stream", kind_rows: 3 }),
      row("missing_in_stream", "O-MISSING", { ledger_value: "30", kind_rows: 3 }),
      // Amsterdam close + 6 h = 04:00Z; streamed at 05:00Z.
      row("missing_in_stream", "O-TOO-LATE", { ledger_value: "21.6", detail: "streamed after the allowance, at 2024-05-03T05:00:00Z", kind_rows: 3 }),
    ]);
  });

  it("closes the day at each store's local midnight: the same Tokyo order is on time when its store is in UTC", async () => {
    const tables = fixtureTables();
    const asUtc = (r: Row) => (r.store_id === STORES.tyo.store_id ? { ...r, store_time_zone: "UTC" } : r);
    const rows = await discrepancies({ ...tables, "curated.commerce_events": tables["curated.commerce_events"].map(asUtc) }, shardCount);
    expect(rows.filter((r) => r.kind === "late_arrival").map((r) => r.order_id)).toEqual(["O-LATE"]);
  });

  it("keeps at most top_k examples per kind, largest difference first, and counts them all", async () => {
    const tables = fixtureTables();
    const ledger = tables["ledger.orders"].map((r) => (r.order_id === "O-LATE" ? { ...r, amount_usd: "100" } : r));
    const rows = await discrepancies({ ...tables, "ledger.orders": ledger }, shardCount, 1);
    expect(rows.map((r) => [r.kind, r.order_id, r.difference, r.kind_orders])).toEqual([
      // |21.6 - 100| = 78.4 beats |20 - 25.5| = 5.5.
      ["amount_mismatch", "O-LATE", "-78.4", 2],
      ["duplicate_in_stream", "O-DUP", null, 1],
      ["explained_by_dlq", "O-DLQ", null, 2],
      ["extra_in_stream", "O-CANCEL-LEDGER", null, 2],
      ["late_arrival", "O-LATE", null, 2],
      ["missing_in_stream", "O-CANCEL-STREAM", null, 3],
    ]);
  });
});

describe("sql/reconciliation/discrepancies.sql amount tolerance (@amount_tolerance, config reconciliation.amountToleranceUsd)", () => {
  /** Orders on both sides whose USD amounts differ only as given: [order_id, stream, ledger]. */
  const pairs: [string, string, string][] = [
    // 1e-8 apart across a rounding boundary: the same amount (ROUND to cents called it a mismatch).
    ["O-TOL-ROUNDING", "10.005", "10.00499999"],
    // Exactly the tolerance apart: still equal.
    ["O-TOL-AT", "10.005", "10.000"],
    // Just over the tolerance: a mismatch.
    ["O-TOL-OVER", "10.005000001", "10.000"],
    // 0.004 apart: equal, both ways.
    ["O-TOL-UNDER", "10.000", "10.004"],
    ["O-TOL-OVER-NEG", "10.000", "10.0051"],
  ];
  const tables = (): Tables => {
    const t = fixtureTables();
    const facts = (order_id: string) => ({ order_id, store: STORES.ams, occurred_at: "2024-05-02T12:00:00Z", ingest_time: "2024-05-02T12:00:01Z" });
    return {
      ...t,
      "curated.commerce_events": [...t["curated.commerce_events"], ...pairs.map(([id, stream]) => curatedEvent({ ...facts(id), revenue_usd: stream }))],
      "ledger.orders": [...t["ledger.orders"], ...pairs.map(([id, , ledger]) => ledgerOrder({ ...facts(id), amount_usd: ledger }))],
    };
  };

  it.each([
    ["0.005", ["O-AMOUNT", "O-TOL-OVER", "O-TOL-OVER-NEG"]],
    ["0", ["O-AMOUNT", "O-TOL-AT", "O-TOL-OVER", "O-TOL-OVER-NEG", "O-TOL-ROUNDING", "O-TOL-UNDER"]],
    ["6", []],
  ])("with tolerance %s USD, the amount_mismatch orders are %j", async (tolerance, expected) => {
    const out = await zs.evaluateQuery(discrepanciesSql, tables(), { ...params(), amount_tolerance: { type: "NUMERIC", value: tolerance }, ...shardParams(0, 1) });
    expect(out.rows.filter((r) => r.kind === "amount_mismatch").map((r) => r.order_id).sort()).toEqual([...expected].sort());
  });
});

describe.each([1, 3])("sql/reconciliation/summary.sql evaluated by ZetaSQL over the fixture day in %i order_id shard(s)", (shardCount) => {
  it("counts net orders and sums USD revenue on both sides, overall, by channel and by store", async () => {
    const rows = await summary(fixtureTables(), shardCount);
    const r = (dimension: string, dimension_value: string, s: number, l: number, sr: string, lr: string) => ({
      dimension,
      dimension_value,
      stream_orders: s,
      ledger_orders: l,
      stream_revenue_usd: sr,
      ledger_revenue_usd: lr,
      replayed_orders: 0,
    });
    // Stream: 9 net orders, seven of 21.60 plus O-EXTRA 15.00 and O-AMOUNT 20.00.
    // Ledger: 12 placed orders, ten of 21.60 plus O-MISSING 30.00 and O-AMOUNT 25.50.
    expect(rows).toEqual([
      r("all", "all", 9, 12, "186.2", "271.5"),
      r("channel", "app", 1, 0, "15", "0"),
      r("channel", "store", 6, 10, "128", "228.3"),
      r("channel", "web", 2, 2, "43.2", "43.2"),
      r("store", "S-AMS", 5, 8, "106.4", "185.1"),
      r("store", "S-LAX", 2, 2, "36.6", "43.2"),
      r("store", "S-TYO", 2, 2, "43.2", "43.2"),
    ]);
  });

});

describe.each([1, 3])("a replayed order (source = replay) in %i order_id shard(s)", (shardCount) => {
  // Lost by the stream, restored by a replay two days later: long after the allowance.
  const replayed = { order_id: "O-REPLAYED", store: STORES.ams, occurred_at: "2024-05-02T12:00:00Z" };
  const tables = (source: "replay" | "stream"): Tables => {
    const t = fixtureTables();
    return {
      ...t,
      "curated.commerce_events": [...t["curated.commerce_events"], { ...curatedEvent({ ...replayed, ingest_time: "2024-05-04T10:00:00Z" }), source }],
      "ledger.orders": [...t["ledger.orders"], ledgerOrder(replayed)],
    };
  };

  it("counts as streamed: no missing_in_stream, no late_arrival for it", async () => {
    const rows = await discrepancies(tables("replay"), shardCount);
    expect(rows.filter((r) => r.order_id === "O-REPLAYED")).toEqual([]);
    expect(rows).toEqual(await discrepancies(fixtureTables(), shardCount));
  });

  it("is reported as replayed in the summary, overall and by store", async () => {
    const rows = await summary(tables("replay"), shardCount);
    expect(rows.find((r) => r.dimension === "all")).toMatchObject({ stream_orders: 10, ledger_orders: 13, replayed_orders: 1 });
    expect(rows.find((r) => r.dimension === "store" && r.dimension_value === "S-AMS")).toMatchObject({ replayed_orders: 1 });
    expect(rows.find((r) => r.dimension === "store" && r.dimension_value === "S-LAX")).toMatchObject({ replayed_orders: 0 });
  });

  it("the same row written by the stream that late is still missing (the allowance is the stream's)", async () => {
    const rows = await discrepancies(tables("stream"), shardCount);
    expect(rows.filter((r) => r.order_id === "O-REPLAYED").map((r) => [r.kind, r.detail])).toEqual([
      ["missing_in_stream", "streamed after the allowance, at 2024-05-04T10:00:00Z"],
    ]);
    expect((await summary(tables("stream"), shardCount)).find((r) => r.dimension === "all")).toMatchObject({ stream_orders: 9, replayed_orders: 0 });
  });
});

describe("sql/reconciliation/summary.sql and discrepancies.sql", () => {
  it("both compare the stream and ledger sides of one fragment, included as loaded", () => {
    const sides = readFileSync(join(findSqlDir("reconciliation/_order_sides.sql"), "reconciliation", "_order_sides.sql"), "utf8").trimEnd();
    expect(sides).toMatch(/^stream_orders AS \(/m);
    expect(sides).toMatch(/^ledger_orders AS \(/m);
    for (const sql of [summarySql, discrepanciesSql]) {
      expect(sql).toContain(`WITH\n${sides}\n`);
      expect(sql).not.toMatch(/^-- include:/m);
    }
  });
});
