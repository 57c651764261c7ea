import fc from "fast-check";
import type { QueryParam, Row } from "../../../functions/runtime/warehouse";
import { startZetaSql, ZetaSql, type ZetaSqlSession } from "../../../local/zetasql";

// Pushdown only ever removes rows ZetaSQL would remove anyway: every query gives exactly the rows it
// gives over whole tables. Checked on random data, with adversarial duplicates for the dedup view
// (two rows of one event_id with different order_ids: a shard filter pushed below its window would
// change which row wins).

let pushed: ZetaSqlSession;
let whole: ZetaSql;
beforeAll(async () => {
  pushed = await startZetaSql();
  whole = await ZetaSql.connect(pushed.address, { pushdown: false });
});
afterAll(async () => {
  whole?.close();
  await pushed?.close();
});

const DATES = ["2024-03-01", "2024-03-02", "2024-03-03"];
const date = fc.constantFrom(...DATES);
const orderId = fc.constantFrom(...Array.from({ length: 30 }, (_, i) => `O-${i}`), "Ö-ß", "");
const amount = fc.tuple(fc.integer({ min: -500, max: 5000 }), fc.integer({ min: 0, max: 99 })).map(([a, b]) => `${a}.${String(b).padStart(2, "0")}`);
const timestamp = fc.tuple(date, fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 999 })).map(([d, h, ms]) => `${d}T${String(h).padStart(2, "0")}:00:00.${String(ms).padStart(3, "0")}Z`);
const nullable = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null, freq: 5 });

const ledgerRow = fc.record({
  order_id: orderId,
  order_date: date,
  placed_at: timestamp,
  store_id: fc.constantFrom("s1", "s2", "s3"),
  channel: nullable(fc.constantFrom("web", "app", "store")),
  user_id: nullable(fc.constantFrom("u1", "u2")),
  quantity: nullable(fc.integer({ min: -2, max: 9 })),
  unit_price: nullable(amount),
  currency: fc.constantFrom("EUR", "USD"),
  amount_usd: nullable(amount),
  status: fc.constantFrom("placed", "cancelled"),
});

const eventRow = fc.record({
  event_id: fc.constantFrom(...Array.from({ length: 25 }, (_, i) => `e${i}`)),
  event_type: fc.constantFrom("order.placed", "order.cancelled", "cart.item_added"),
  occurred_at: timestamp,
  event_date: date,
  ingest_time: timestamp,
  order_id: nullable(orderId),
  store_id: fc.constantFrom("s1", "s2"),
  revenue_usd: nullable(amount),
  source: fc.constantFrom("stream", "ledger_repair"),
});

/** Rows of both sides, sorted, so the comparison ignores order where the query sets none. */
async function bothWays(sql: string, tables: Record<string, Row[]>, params: Record<string, QueryParam>) {
  const [a, b] = await Promise.all([pushed.evaluateQuery(sql, tables, params), whole.evaluateQuery(sql, tables, params)]);
  const sort = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).sort();
  return { pushed: sort(a.rows), whole: sort(b.rows), sent: a.requests!, wholeSent: b.requests! };
}

const shardParams = fc.integer({ min: 1, max: 5 }).chain((n) => fc.record({ n: fc.constant(n), k: fc.integer({ min: 0, max: n - 1 }) }));

describe("pushdown gives the same rows as whole tables", () => {
  it("on ledger filters: =, IN, BETWEEN, <, >=, IS NULL, NOT, OR, NUMERIC, TIMESTAMP and the FARM_FINGERPRINT shard", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(ledgerRow, { maxLength: 60 }), date, shardParams, amount, timestamp, fc.integer({ min: -2, max: 9 }), async (rows, d, shard, price, ts, q) => {
        const sql = `
          SELECT order_id, order_date, amount_usd, quantity FROM ledger.orders
          WHERE order_date = @d AND status IN ('placed', 'x') AND MOD(ABS(FARM_FINGERPRINT(order_id)), @n) = @k
            AND (quantity BETWEEN 0 AND @q OR user_id IS NULL) AND NOT (channel = 'web') AND unit_price >= @price
            AND placed_at < @ts AND order_date <= '2024-03-02'`;
        const params: Record<string, QueryParam> = {
          d: { type: "DATE", value: d },
          n: { type: "INT64", value: shard.n },
          k: { type: "INT64", value: shard.k },
          price: { type: "NUMERIC", value: price },
          ts: { type: "TIMESTAMP", value: ts },
          q: { type: "INT64", value: q },
        };
        const out = await bothWays(sql, { "ledger.orders": rows }, params);
        expect(out.pushed).toEqual(out.whole);
        // Exactly the rows the query returns were sent: every conjunct here is pushed.
        expect(out.sent.map((r) => r.rows["ledger.orders"])).toEqual([out.whole.length]);
      }),
      { numRuns: 40 },
    );
  });

  it("on NOT (x IN UNNEST(empty array)) with x NULL: FALSE under NOT keeps the row, as ZetaSQL does", async () => {
    const base = { order_date: "2024-03-01", placed_at: "2024-03-01T10:00:00Z", store_id: "s1", currency: "EUR", status: "placed" };
    const tables = { "ledger.orders": [{ ...base, order_id: "A", user_id: null }, { ...base, order_id: "B", user_id: "u1" }] };
    for (const array of ["ARRAY<STRING>[]", "CAST(NULL AS ARRAY<STRING>)"]) {
      const r = await bothWays(`SELECT order_id FROM ledger.orders WHERE order_date = @d AND NOT (user_id IN UNNEST(${array}))`, tables, {
        d: { type: "DATE", value: "2024-03-01" },
      });
      expect(r.pushed).toEqual(r.whole);
      expect(r.pushed).toHaveLength(2);
    }
  });

  it("through the dedup view with a shard on a column that is not its window's partition key", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(eventRow, { maxLength: 60 }), fc.array(ledgerRow, { maxLength: 30 }), date, shardParams, async (events, ledger, d, shard) => {
        const sql = `
          WITH s AS (
            SELECT order_id, event_id, revenue_usd, ingest_time FROM curated.commerce_events_dedup
            WHERE event_date = @d AND event_type IN ('order.placed') AND source = 'stream' AND MOD(ABS(FARM_FINGERPRINT(order_id)), @n) = @k
          ),
          l AS (SELECT order_id, amount_usd FROM ledger.orders WHERE order_date = @d AND MOD(ABS(FARM_FINGERPRINT(order_id)), @n) = @k)
          SELECT COALESCE(s.order_id, l.order_id) AS order_id, s.event_id, s.revenue_usd, s.ingest_time, l.amount_usd
          FROM s FULL OUTER JOIN l ON s.order_id = l.order_id`;
        const params: Record<string, QueryParam> = { d: { type: "DATE", value: d }, n: { type: "INT64", value: shard.n }, k: { type: "INT64", value: shard.k } };
        const out = await bothWays(sql, { "curated.commerce_events": events, "ledger.orders": ledger }, params);
        expect(out.pushed).toEqual(out.whole);
      }),
      { numRuns: 20 },
    );
  });
});

describe("a hash shard of a key inside a JSON payload (sql/parity/lost_in_enrichment.sql)", () => {
  const SHARD_BY_EVENT = `
    SELECT message_id FROM raw.commerce_events
    WHERE MOD(ABS(FARM_FINGERPRINT(COALESCE(
      SAFE.JSON_VALUE(SAFE_CONVERT_BYTES_TO_STRING(data), '$.event_id'), CONCAT('message:', message_id)))), @n) = @k`;
  // Payloads JS and ZetaSQL might read differently ride along: the row is then kept for ZetaSQL to decide.
  const payload = fc.oneof(
    fc.constantFrom(...Array.from({ length: 20 }, (_, i) => JSON.stringify({ event_id: `e${i}`, event_type: "cart.item_added" }))),
    fc.constantFrom(
      '{"event_type":"x"}', // no event_id: keyed by its message
      '{"event_id":null}',
      '{"event_id":42}',
      '{"event_id":"a","event_id":"b"}', // twice: which copy wins is ZetaSQL's call
      '{"event_\\u0069d":"e1"}',
      '{"nested":{"event_id":"e1"}}',
      '{"event_id":"\\"quoted\\" é"}',
      "[1,2]",
      "{not json",
      "",
    ),
    fc.string({ maxLength: 12 }),
  );
  const rawRow = fc.record({
    subscription_name: fc.constant("projects/p/subscriptions/raw-mirror"),
    message_id: fc.constantFrom(...Array.from({ length: 40 }, (_, i) => `m${i}`)),
    publish_time: timestamp,
    data: fc.oneof(payload.map((p) => Buffer.from(p).toString("base64")), fc.constant(Buffer.from([0xff, 0xfe, 0x7b]).toString("base64")), fc.constant(null)),
    attributes: fc.constant("{}"),
  });

  it("gives the same rows as whole tables", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rawRow, { maxLength: 40 }), shardParams, async (rows, shard) => {
        const params: Record<string, QueryParam> = { n: { type: "INT64", value: shard.n }, k: { type: "INT64", value: shard.k } };
        const out = await bothWays(SHARD_BY_EVENT, { "raw.commerce_events": rows }, params);
        expect(out.pushed).toEqual(out.whole);
      }),
      { numRuns: 25 },
    );
  });

  it("sends only the shard's rows when every payload is plain", async () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({
      subscription_name: "projects/p/subscriptions/raw-mirror",
      message_id: `m${i}`,
      publish_time: "2024-03-01T10:00:00Z",
      data: Buffer.from(JSON.stringify({ event_id: `e${i % 20}` })).toString("base64"),
      attributes: "{}",
    }));
    const sent = await Promise.all(
      [0, 1, 2, 3].map(async (k) => {
        const out = await pushed.evaluateQuery(SHARD_BY_EVENT, { "raw.commerce_events": rows }, { n: { type: "INT64", value: 4 }, k: { type: "INT64", value: k } });
        // Every row sent is one the query keeps: nothing was left to ZetaSQL.
        expect(out.requests![0].rows["raw.commerce_events"]).toBe(out.rows.length);
        return out.rows.length;
      }),
    );
    expect(sent.reduce((a, b) => a + b, 0)).toBe(40);
    expect(Math.max(...sent)).toBeLessThan(40);
  });
});

describe("what pushdown sends", () => {
  const events = [
    // Two writes of e1 on one day with different order_ids: the earlier (order A) wins the dedupe.
    { event_id: "e1", event_type: "order.placed", occurred_at: "2024-03-01T10:00:00Z", event_date: "2024-03-01", ingest_time: "2024-03-01T10:00:01Z", order_id: "A", store_id: "s1", source: "stream" },
    { event_id: "e1", event_type: "order.placed", occurred_at: "2024-03-01T10:00:00Z", event_date: "2024-03-01", ingest_time: "2024-03-01T10:00:02Z", order_id: "B", store_id: "s1", source: "stream" },
    { event_id: "e2", event_type: "order.placed", occurred_at: "2024-03-02T10:00:00Z", event_date: "2024-03-02", ingest_time: "2024-03-02T10:00:01Z", order_id: "B", store_id: "s1", source: "stream" },
  ];

  it("filters the view's base rows only on a column that keeps whole copy groups, and the rest on the view's rows", async () => {
    // B's shard: pushing it below the window would drop A's write of e1 and let B's win. The day is
    // not pushed either: a copy on the next day decides whether the day's row wins.
    const sql = "SELECT event_id, order_id FROM curated.commerce_events_dedup WHERE event_date = @d AND order_id = 'B'";
    const out = await pushed.evaluateQuery(sql, { "curated.commerce_events": events }, { d: { type: "DATE", value: "2024-03-01" } });
    expect(out.rows).toEqual([]);
    // The view saw every day's rows, and the reader got none of its output rows.
    expect(out.requests!.map((r) => r.rows)).toEqual([{ "curated.commerce_events": 3 }, { "curated.commerce_events_dedup": 0 }]);
    // A filter on event_id (the join key and a window key) keeps whole copy groups: it goes below.
    const byId = await pushed.evaluateQuery("SELECT order_id FROM curated.commerce_events_dedup WHERE event_id = 'e1'", { "curated.commerce_events": events });
    expect(byId.rows).toEqual([{ order_id: "A" }]);
    expect(byId.requests![0].rows).toEqual({ "curated.commerce_events": 2 });
  });

  it("evaluates a view in pieces split by its window partition key when it exceeds one request", async () => {
    // 8k event rows of one day with long ids and attributes: the view's base rows (it reads every
    // column) exceed 4 MiB, so it is evaluated in pieces; the reader then needs only event_id of the
    // 7k distinct events.
    const big = Array.from({ length: 8_000 }, (_, i) => ({
      event_id: `event-${"x".repeat(130)}-${i % 7_000}`,
      event_type: "order.placed",
      occurred_at: "2024-03-01T10:00:00Z",
      event_date: "2024-03-01",
      ingest_time: `2024-03-01T10:00:${String(i % 60).padStart(2, "0")}Z`,
      order_id: `order-${i % 7_000}`,
      store_id: "s1",
      source: "stream",
      attributes: JSON.stringify({ note: "y".repeat(400) }),
    }));
    const sql = "SELECT COUNT(*) AS n, COUNT(DISTINCT event_id) AS ids FROM curated.commerce_events_dedup WHERE event_date = @d AND event_id IS NOT NULL";
    const out = await pushed.evaluateQuery(sql, { "curated.commerce_events": big }, { d: { type: "DATE", value: "2024-03-01" } });
    expect(out.rows).toEqual([{ n: 7_000, ids: 7_000 }]);
    const viewPieces = out.requests!.filter((r) => "curated.commerce_events" in r.rows);
    expect(viewPieces.length).toBeGreaterThan(1);
    expect(viewPieces.reduce((n, r) => n + r.rows["curated.commerce_events"], 0)).toBe(8_000);
    for (const r of out.requests!) expect(r.bytes).toBeLessThan(4 * 1024 * 1024);
  });
});

describe("pushdown refuses what whole tables refuse", () => {
  it("a row with a column the table does not have, even one the filter drops", async () => {
    const row = { order_id: "o1", order_date: "2024-03-02", placed_at: "2024-03-02T10:00:00Z", store_id: "s1", currency: "EUR", status: "placed", amout: "1.00" };
    const sql = "SELECT order_id FROM ledger.orders WHERE order_date = @d";
    const params = { d: { type: "DATE" as const, value: "2024-03-01" } };
    for (const engine of [pushed, whole]) {
      await expect(engine.evaluateQuery(sql, { "ledger.orders": [row] }, params)).rejects.toThrow("row 0 of ledger.orders has unknown column amout");
    }
  });
});
