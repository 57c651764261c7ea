import { startZetaSql, type ZetaSqlSession } from "../../local/zetasql";

let zs: ZetaSqlSession;
beforeAll(async () => {
  zs = await startZetaSql({ viewsDir: null });
});
afterAll(async () => {
  await zs?.close();
});

describe("ZetaSQL harness: analysis against the contract catalog", () => {
  it.each([
    ["dataset.table", "SELECT order_id FROM curated.commerce_events WHERE event_date = @run_date"],
    ["`dataset.table`", "SELECT order_id FROM `curated.commerce_events` WHERE event_date = @run_date"],
    ["project.dataset.table", "SELECT order_id FROM `streamline-dev`.ledger.orders WHERE order_date = @run_date"],
    ["`project.dataset.table`", "SELECT order_id FROM `streamline-dev.ledger.orders` WHERE order_date = @run_date"],
  ])("resolves %s names", async (_, sql) => {
    const stmt = await zs.analyze(sql, { params: { run_date: "DATE" } });
    expect(JSON.stringify(stmt)).toMatch(/"table_name":"(curated\.commerce_events|ledger\.orders)"/);
  });

  it("resolves BigQuery constructs: FULL OUTER JOIN USING, QUALIFY, FARM_FINGERPRINT", async () => {
    const sql = `
      SELECT order_id, FARM_FINGERPRINT(order_id) AS fp
      FROM (SELECT order_id FROM curated.commerce_events WHERE event_date = @run_date)
      FULL OUTER JOIN (SELECT order_id FROM ledger.orders WHERE order_date = @run_date) USING (order_id)
      WHERE TRUE
      QUALIFY ROW_NUMBER() OVER (PARTITION BY order_id) = 1`;
    await expect(zs.analyze(sql, { params: { run_date: "DATE" } })).resolves.toHaveProperty("resolved_query_stmt_node");
  });

  it("fails with ZetaSQL's own message on a misspelt column", async () => {
    await expect(zs.analyze("SELECT quantiy FROM ledger.orders")).rejects.toThrow("Unrecognized name: quantiy; Did you mean quantity?");
  });

  it("fails on an undeclared parameter", async () => {
    await expect(zs.analyze("SELECT 1 FROM ledger.orders WHERE order_date = @run_date")).rejects.toThrow(/run_date/);
  });

  it("maps every contract type, FLOAT64 as DOUBLE and a string map as JSON", async () => {
    const tables = await zs.catalogTables();
    const runs = tables.get("ops.reconciliation_runs")!;
    expect(runs.columns.find((c) => c.name === "count_drift_ratio")!.type.type_kind).toBe("TYPE_DOUBLE");
    expect(tables.get("raw.commerce_events")!.columns.find((c) => c.name === "data")!.type.type_kind).toBe("TYPE_BYTES");
    expect(tables.get("ledger.orders")!.columns.map((c) => c.name)).toContain("amount_usd");
  });
});

describe("ZetaSQL harness: evaluation", () => {
  const ledger = [
    { order_id: "o1", order_date: "2024-03-01", placed_at: "2024-03-01T10:00:00.123456Z", store_id: "s1", channel: "web", user_id: null, sku: "A", quantity: 2, unit_price: "1.25", currency: "EUR", amount_usd: "2.7", status: "placed", exported_at: "2024-03-02T01:00:00Z" },
    { order_id: "o2", order_date: "2024-03-01", placed_at: "2024-03-01T23:30:00+02:00", store_id: "s2", channel: "store", user_id: "u9", sku: "B", quantity: 1, unit_price: "-0.000000001", currency: "USD", amount_usd: "99999999999999999999999999990.000000001", status: "placed", exported_at: "2024-03-02T01:00:00Z" },
    { order_id: "o3", order_date: "2024-03-02", placed_at: "2024-03-02T10:00:00Z", store_id: "s1", channel: "app", user_id: null, sku: "C", quantity: 3, unit_price: "0", currency: "USD", amount_usd: "0", status: "cancelled", exported_at: "2024-03-03T01:00:00Z" },
  ];

  it("round-trips NUMERIC, DATE, TIMESTAMP and INT64 through the server with named parameters", async () => {
    const out = await zs.evaluateQuery(
      "SELECT order_id, order_date, placed_at, quantity, unit_price, amount_usd, user_id FROM ledger.orders WHERE order_date = @run_date ORDER BY order_id",
      { "ledger.orders": ledger },
      { run_date: { type: "DATE", value: "2024-03-01" } },
    );
    expect(out.rows).toEqual([
      { order_id: "o1", order_date: "2024-03-01", placed_at: "2024-03-01T10:00:00.123456Z", quantity: 2, unit_price: "1.25", amount_usd: "2.7", user_id: null },
      { order_id: "o2", order_date: "2024-03-01", placed_at: "2024-03-01T21:30:00Z", quantity: 1, unit_price: "-0.000000001", amount_usd: "99999999999999999999999999990.000000001", user_id: "u9" },
    ]);
  });

  it("computes NUMERIC arithmetic exactly (the server, not JS, does the maths)", async () => {
    const out = await zs.evaluateQuery("SELECT SUM(amount_usd) AS total, SUM(quantity * unit_price) AS local_total FROM ledger.orders", { "ledger.orders": ledger });
    expect(out.rows).toEqual([{ total: "99999999999999999999999999992.700000001", local_total: "2.499999999" }]);
  });

  it("runs INSERT, UPDATE and DELETE and names the rows they change", async () => {
    const tables = { "ledger.orders": ledger };
    const del = await zs.evaluateModify("DELETE FROM ledger.orders WHERE status = 'cancelled'", tables);
    expect(del).toEqual({ table: "ledger.orders", changes: [{ operation: "DELETE", index: 2 }] });
    const upd = await zs.evaluateModify("UPDATE ledger.orders SET quantity = quantity + 1 WHERE order_id = @id", tables, { id: { type: "STRING", value: "o1" } });
    expect(upd.changes).toEqual([{ operation: "UPDATE", index: 0, row: { ...ledger[0], quantity: 3 } }]);
    const ins = await zs.evaluateModify(
      "INSERT INTO ledger.orders (order_id, order_date, placed_at, store_id, channel, sku, quantity, unit_price, currency, amount_usd, status, exported_at) " +
        "SELECT CONCAT(order_id, '-copy'), order_date, placed_at, store_id, channel, sku, quantity, unit_price, currency, amount_usd, status, exported_at FROM ledger.orders WHERE order_id = 'o1'",
      tables,
    );
    expect(ins.changes).toEqual([{ operation: "INSERT", row: { ...ledger[0], order_id: "o1-copy" } }]);
  });

  it("runs an insert-if-missing MERGE (rewritten to INSERT ... WHERE NOT EXISTS) and refuses other MERGE shapes", async () => {
    const merge =
      "MERGE ops.reconciliation_discrepancies AS t USING (SELECT order_id, order_date FROM ledger.orders WHERE order_date = @d) AS s " +
      "ON t.run_date = @d AND t.order_id = s.order_id " +
      "WHEN NOT MATCHED BY TARGET THEN INSERT (run_id, run_date, kind, order_id) VALUES ('r1', s.order_date, 'missing_in_stream', s.order_id)";
    const params = { d: { type: "DATE" as const, value: "2024-03-01" } };
    await expect(zs.analyze(merge, { params })).resolves.toHaveProperty("resolved_merge_stmt_node");
    const first = await zs.evaluateModify(merge, { "ledger.orders": ledger }, params);
    expect(first.table).toBe("ops.reconciliation_discrepancies");
    expect(first.changes.map((c) => [c.operation, c.row?.order_id, c.row?.run_date])).toEqual([
      ["INSERT", "o1", "2024-03-01"],
      ["INSERT", "o2", "2024-03-01"],
    ]);
    // Idempotent: once the rows are there, nothing is missing any more.
    const tables = { "ledger.orders": ledger, "ops.reconciliation_discrepancies": first.changes.map((c) => c.row!) };
    expect((await zs.evaluateModify(merge, tables, params)).changes).toEqual([]);
    const other = "MERGE ledger.orders t USING (SELECT 'x' AS order_id) s ON t.order_id = s.order_id WHEN MATCHED THEN DELETE";
    await expect(zs.evaluateModify(other, {})).rejects.toThrow(/only MERGE ... WHEN NOT MATCHED/);
  });

  it("names the table, row and column of a row it cannot encode", async () => {
    await expect(zs.evaluateQuery("SELECT * FROM ledger.orders", { "ledger.orders": [{ ...ledger[0], quantity: "two" }] })).rejects.toThrow(
      /row 0 of ledger.orders, column quantity: expected a INT64/,
    );
  });
});
