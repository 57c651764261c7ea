import { countsByKind, examplesJson, topKPerKind, type DiscrepancyRow } from "../../../functions/reconciliation/discrepancies";

const row = (kind: DiscrepancyRow["kind"], order_id: string, kind_orders: number, over: Partial<DiscrepancyRow> = {}): DiscrepancyRow => ({
  kind,
  order_id,
  store_id: "S-1",
  channel: "web",
  field: null,
  stream_value: null,
  ledger_value: null,
  difference: null,
  detail: null,
  kind_rows: kind_orders,
  kind_orders,
  ...over,
});

describe("countsByKind", () => {
  it("takes each kind's order count from the query (not the examples it kept), zero for absent kinds", () => {
    const rows = [row("missing_in_stream", "A", 120), row("missing_in_stream", "B", 120), row("late_arrival", "C", 1)];
    expect(countsByKind(rows)).toEqual({
      missing_in_stream: 120,
      extra_in_stream: 0,
      duplicate_in_stream: 0,
      amount_mismatch: 0,
      late_arrival: 1,
      explained_by_dlq: 0,
    });
  });
});

describe("topKPerKind", () => {
  it("keeps the first K rows of each kind in the query's ranking order", () => {
    const rows = [
      row("amount_mismatch", "A", 3, { difference: "-50" }),
      row("amount_mismatch", "B", 3, { difference: "10" }),
      row("amount_mismatch", "C", 3, { difference: "1" }),
      row("extra_in_stream", "D", 1),
      row("missing_in_stream", "E", 2),
      row("missing_in_stream", "F", 2),
    ];
    expect(topKPerKind(rows, 2).map((r) => r.order_id)).toEqual(["A", "B", "D", "E", "F"]);
    expect(topKPerKind(rows, 1).map((r) => r.order_id)).toEqual(["A", "D", "E"]);
  });
});

describe("examplesJson", () => {
  it("carries the columns record_discrepancies.sql reads, without the counts", () => {
    const json = JSON.parse(examplesJson([row("amount_mismatch", "A", 1, { field: "amount_usd", stream_value: "20", ledger_value: "25.5", difference: "-5.5" })]));
    expect(json).toEqual([
      { kind: "amount_mismatch", order_id: "A", store_id: "S-1", channel: "web", field: "amount_usd", stream_value: "20", ledger_value: "25.5", difference: "-5.5", detail: null },
    ]);
  });
});
