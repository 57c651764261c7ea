import { ZetaSql, startZetaSql, type ZetaSqlSession } from "../../../local/zetasql";

// ZetaSQL's own default time zone is America/Los_Angeles; BigQuery's is UTC. Every call we make
// (analysis, query evaluation, DML, with and without pushdown) must use BigQuery's.

let zs: ZetaSqlSession;
let whole: ZetaSql;
beforeAll(async () => {
  zs = await startZetaSql({ viewsDir: null });
  whole = await ZetaSql.connect(zs.address, { viewsDir: null, pushdown: false });
});
afterAll(async () => {
  whole?.close();
  await zs?.close();
});

const ORDER = {
  order_id: "o1",
  order_date: "2024-05-04",
  placed_at: "2024-05-04T03:00:00Z",
  store_id: "s1",
  channel: "web",
  user_id: null,
  sku: "A",
  quantity: 1,
  unit_price: "1",
  currency: "EUR",
  amount_usd: "1",
  status: "placed",
  exported_at: "2024-05-05T01:00:00Z",
};

describe("ZetaSQL runs in BigQuery's default time zone, UTC", () => {
  it("evaluates SELECT TIMESTAMP(DATE '2024-05-04') to midnight UTC", async () => {
    const out = await zs.evaluateQuery("SELECT TIMESTAMP(DATE '2024-05-04')");
    // An unnamed output column comes back as "".
    expect(out.rows).toEqual([{ "": "2024-05-04T00:00:00Z" }]);
  });

  it("resolves a zone-less TIMESTAMP literal at midnight UTC when analysing", async () => {
    const stmt = await zs.analyze("SELECT TIMESTAMP '2024-05-04 00:00:00' AS t");
    // 1714780800 s = 2024-05-04T00:00:00Z (in Los Angeles it would be 1714806000).
    expect(JSON.stringify(stmt)).toContain('"timestamp_value":{"seconds":"1714780800"}');
  });

  it.each([
    ["with pushdown", () => zs],
    ["whole tables", () => whole],
  ])("reads the hour and date of table rows in UTC (%s)", async (_, engine) => {
    const out = await engine().evaluateQuery(
      "SELECT EXTRACT(HOUR FROM placed_at) AS hour, DATE(placed_at) AS day, CAST(placed_at AS STRING) AS text FROM ledger.orders WHERE order_date = @d",
      { "ledger.orders": [ORDER] },
      { d: { type: "DATE", value: "2024-05-04" } },
    );
    expect(out.rows).toEqual([{ hour: 3, day: "2024-05-04", text: "2024-05-04 03:00:00+00" }]);
  });

  it("writes TIMESTAMP(DATE ...) as midnight UTC in DML", async () => {
    const out = await zs.evaluateModify(
      "INSERT INTO ledger.orders (order_id, order_date, placed_at, store_id, channel, sku, quantity, unit_price, currency, amount_usd, status, exported_at) " +
        "VALUES ('o2', DATE '2024-05-04', TIMESTAMP(DATE '2024-05-04'), 's1', 'web', 'A', 1, 1, 'EUR', 1, 'placed', TIMESTAMP '2024-05-05 00:00:00')",
    );
    expect(out.changes[0].row).toMatchObject({ placed_at: "2024-05-04T00:00:00Z", exported_at: "2024-05-05T00:00:00Z" });
  });
});
