import { startZetaSql, type ZetaSqlSession } from "../../../local/zetasql";

let zs: ZetaSqlSession;
beforeAll(async () => {
  zs = await startZetaSql({ viewsDir: null });
});
afterAll(async () => {
  await zs?.close();
});

/** A ledger row as the export writes it (every column set, so the full width would travel unpruned). */
function ledgerRow(i: number, orderDate: string) {
  return {
    order_id: `O-${orderDate}-${String(i).padStart(7, "0")}`,
    order_date: orderDate,
    placed_at: `${orderDate}T12:${String(i % 60).padStart(2, "0")}:00.123Z`,
    store_id: `store-${i % 40}`,
    channel: ["web", "app", "store"][i % 3],
    user_id: `user-${i % 9973}`,
    sku: `SKU-${i % 250}`,
    quantity: 1 + (i % 5),
    unit_price: `${(i % 9000) / 100 + 1}`,
    currency: "EUR",
    amount_usd: `${(i % 9000) + 100}.${String(i % 97).padStart(2, "0")}`,
    status: i % 50 === 0 ? "cancelled" : "placed",
    exported_at: `${orderDate}T23:59:00Z`,
  };
}

describe("a single-day query over a large ledger", () => {
  it("evaluates 60k rows of one day (plus other days) in requests under ZetaSQL's 4 MiB limit", async () => {
    const rows = [...Array.from({ length: 60_000 }, (_, i) => ledgerRow(i, "2024-03-01")), ...Array.from({ length: 20_000 }, (_, i) => ledgerRow(i, "2024-03-02"))];
    const out = await zs.evaluateQuery(
      "SELECT COUNT(*) AS orders, SUM(amount_usd) AS revenue_usd, COUNTIF(status = 'placed') AS placed FROM ledger.orders WHERE order_date = @run_date",
      { "ledger.orders": rows },
      { run_date: { type: "DATE", value: "2024-03-01" } },
    );
    const day = rows.filter((r) => r.order_date === "2024-03-01");
    expect(out.rows).toEqual([{ orders: 60_000, placed: day.filter((r) => r.status === "placed").length, revenue_usd: expect.any(String) }]);
    // Only the day's rows travel, and only the three columns read.
    expect(out.requests).toEqual([{ bytes: expect.any(Number), rows: { "ledger.orders": 60_000 } }]);
    expect(out.requests![0].bytes).toBeLessThan(4 * 1024 * 1024);
  });
});
