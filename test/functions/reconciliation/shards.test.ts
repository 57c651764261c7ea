import type { DiscrepancyRow } from "../../../functions/reconciliation/discrepancies";
import type { SummaryRow } from "../../../functions/reconciliation/reconcile";
import { combineDiscrepancies, combineLostEvents, combineSummaries, shardParams } from "../../../functions/reconciliation/shards";

const sum = (dimension: SummaryRow["dimension"], value: string, s: number | null, l: number | null, sr: string | null, lr: string | null): SummaryRow => ({
  dimension,
  dimension_value: value,
  stream_orders: s,
  ledger_orders: l,
  stream_revenue_usd: sr,
  ledger_revenue_usd: lr,
  replayed_orders: 0,
});

const d = (kind: DiscrepancyRow["kind"], order_id: string, difference: string | null, totals: [number, number], field: string | null = null): DiscrepancyRow => ({
  kind,
  order_id,
  store_id: "S-1",
  channel: "web",
  field,
  stream_value: null,
  ledger_value: null,
  difference,
  detail: null,
  kind_rows: totals[0],
  kind_orders: totals[1],
});

describe("shardParams", () => {
  it("names both INT64 parameters of the shard filter", () => {
    expect(shardParams(2, 4)).toEqual({ shard_count: { type: "INT64", value: 4 }, shard: { type: "INT64", value: 2 } });
  });
});

describe("combineSummaries", () => {
  it("adds counts and sums NUMERIC exactly (no float rounding), per dimension value, in the query's order", () => {
    const a = [sum("all", "all", 2, 3, "0.1", "0.2"), sum("store", "S-B", 2, 3, "0.1", "0.2")];
    const b = [sum("all", "all", 1, 1, "0.2", "99999999999999999999.000000001"), sum("channel", "web", 1, 1, "0.2", "1"), sum("store", "S-A", 1, 1, "0.2", "1")];
    expect(combineSummaries([a, b])).toEqual([
      // 0.1 + 0.2 is 0.30000000000000004 in a double.
      sum("all", "all", 3, 4, "0.3", "99999999999999999999.200000001"),
      sum("channel", "web", 1, 1, "0.2", "1"),
      sum("store", "S-A", 1, 1, "0.2", "1"),
      sum("store", "S-B", 2, 3, "0.1", "0.2"),
    ]);
  });

  it("treats a NULL sum (a shard without rows) as SQL SUM does: absent, not zero", () => {
    expect(combineSummaries([[sum("all", "all", null, null, null, null)], [sum("all", "all", 0, 2, null, "5.5")], [sum("all", "all", 1, 0, "-1.25", null)]])).toEqual([
      sum("all", "all", 1, 2, "-1.25", "5.5"),
    ]);
  });

  it("refuses a revenue that is not a decimal rather than guessing", () => {
    expect(() => combineSummaries([[sum("all", "all", 1, 1, "1e3", "1")], []])).toThrow(/stream_revenue_usd: "1e3" is not a NUMERIC decimal/);
  });

  it("returns a single shard's rows unchanged", () => {
    const only = [sum("store", "S-B", 1, 1, "1.10", "1")];
    expect(combineSummaries([only])).toEqual(only);
  });
});

describe("combineDiscrepancies", () => {
  it("sums each kind's totals over the shards and keeps the top K by |difference|, then order_id, then field", () => {
    const shard0 = [
      d("amount_mismatch", "O-3", "-7.5", [3, 2], "amount_usd"),
      d("amount_mismatch", "O-3", "1", [3, 2], "quantity"),
      d("missing_in_stream", "O-9", null, [1, 1]),
    ];
    const shard1 = [d("amount_mismatch", "O-1", "7.5", [2, 2], "amount_usd"), d("amount_mismatch", "O-2", "-10", [2, 2], "amount_usd")];
    const shard2 = [d("missing_in_stream", "O-4", null, [2, 2]), d("missing_in_stream", "O-5", null, [2, 2]), d("duplicate_in_stream", "O-7", null, [1, 1], "rows")];
    const rows = combineDiscrepancies([shard0, shard1, shard2], 2);
    expect(rows.map((r) => [r.kind, r.order_id, r.field, r.difference, r.kind_rows, r.kind_orders])).toEqual([
      // |-10| first; -7.5 and 7.5 tie on |difference| and are ordered by order_id.
      ["amount_mismatch", "O-2", "amount_usd", "-10", 5, 4],
      ["amount_mismatch", "O-1", "amount_usd", "7.5", 5, 4],
      ["duplicate_in_stream", "O-7", "rows", null, 1, 1],
      // No difference: by order_id across shards.
      ["missing_in_stream", "O-4", null, null, 3, 3],
      ["missing_in_stream", "O-5", null, null, 3, 3],
    ]);
  });

  it("puts rows without a difference after those with one (DESC sorts NULLs last) and compares decimals exactly", () => {
    const rows = combineDiscrepancies(
      [[d("amount_mismatch", "O-A", null, [1, 1], "currency")], [d("amount_mismatch", "O-B", "0.000000001", [2, 1], "amount_usd"), d("amount_mismatch", "O-B", "0.000000002", [2, 1], "unit_price")]],
      10,
    );
    expect(rows.map((r) => [r.order_id, r.field, r.kind_rows, r.kind_orders])).toEqual([
      ["O-B", "unit_price", 3, 2],
      ["O-B", "amount_usd", 3, 2],
      ["O-A", "currency", 3, 2],
    ]);
  });

  it("returns nothing for shards without discrepancies", () => {
    expect(combineDiscrepancies([[], [], []], 20)).toEqual([]);
  });
});

describe("combineLostEvents", () => {
  const lost = (event_id: string | null, message_id: string, publish_micros: string, lost_events: number) => ({ event_id, message_id, publish_micros, lost_events });

  test("adds the shards' counts and keeps the day's top-K oldest (publish time, then message id), each with the day's count", () => {
    const shardA = [lost("e-1", "m9", "2000", 5), lost("e-3", "m4", "9000000000000000", 5)]; // cut to 2 of its 5
    const shardB = [lost(null, "m3", "3000", 2), lost("e-2", "m1", "2000", 2)];
    expect(combineLostEvents([shardA, shardB, []], 3)).toEqual([lost("e-2", "m1", "2000", 7), lost("e-1", "m9", "2000", 7), lost(null, "m3", "3000", 7)]);
  });

  test("one shard is its own result; no rows at all count 0", () => {
    const only = [lost("e-1", "m1", "1", 1)];
    expect(combineLostEvents([only], 5)).toEqual(only);
    expect(combineLostEvents([[], []], 5)).toEqual([]);
  });
});
