import fc from "fast-check";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { QueryParam, Row } from "../../../functions/runtime/warehouse";
import { LocalWarehouse } from "../../../local/warehouse/local-warehouse";
import { startZetaSql, ZetaSql, type ZetaSqlSession } from "../../../local/zetasql";

// The view cache reuses an evaluated view only while the same columns, pushed filter and table
// versions shaped it: a reader's other conjuncts (the hash shard) are applied to the cached rows, and
// any insert or rewrite of a base table evaluates the view again.

let cached: ZetaSqlSession;
let uncached: ZetaSql;
let whole: ZetaSql;
beforeAll(async () => {
  cached = await startZetaSql();
  uncached = await ZetaSql.connect(cached.address, { viewCacheRows: 0 });
  whole = await ZetaSql.connect(cached.address, { pushdown: false });
});
afterAll(async () => {
  uncached?.close();
  whole?.close();
  await cached?.close();
});

const BASE = "curated.commerce_events";
const SHARDED = `
  SELECT order_id, event_id, revenue_usd FROM curated.commerce_events_dedup
  WHERE event_date = @d AND source = 'stream' AND MOD(ABS(FARM_FINGERPRINT(order_id)), @n) = @k`;
const shard = (d: string, n: number, k: number): Record<string, QueryParam> => ({
  d: { type: "DATE", value: d },
  n: { type: "INT64", value: n },
  k: { type: "INT64", value: k },
});
const sorted = (rows: readonly Row[]) => rows.map((r) => JSON.stringify(r)).sort();
const viewPieces = (requests: { rows: Record<string, number> }[] | undefined) => (requests ?? []).filter((r) => BASE in r.rows);

const event = (eventId: string, orderId: string, ingest: string, over: Row = {}): Row => ({
  event_id: eventId,
  event_type: "order.placed",
  occurred_at: "2024-03-01T10:00:00Z",
  event_date: "2024-03-01",
  ingest_time: ingest,
  order_id: orderId,
  store_id: "s1",
  revenue_usd: "10.50",
  source: "stream",
  ...over,
});

describe("view cache", () => {
  const events = Array.from({ length: 40 }, (_, i) => event(`e${i % 30}`, `O-${i}`, `2024-03-01T10:00:${String(i).padStart(2, "0")}Z`));

  it("reuses the evaluated view for another shard over the same table version: no view request the second time", async () => {
    const versions = { [BASE]: "reuse-v1" };
    const first = await cached.evaluateQuery(SHARDED, { [BASE]: events }, shard("2024-03-01", 3, 0), { versions });
    const second = await cached.evaluateQuery(SHARDED, { [BASE]: events }, shard("2024-03-01", 3, 1), { versions });
    expect(viewPieces(first.requests)).toHaveLength(1);
    expect(viewPieces(second.requests)).toEqual([]);
    // Only the reader's request, carrying only the shard's rows of the view.
    expect(second.requests).toEqual([{ bytes: expect.any(Number), rows: { "curated.commerce_events_dedup": second.rows.length } }]);
    for (const [out, k] of [[first, 0], [second, 1]] as const) {
      const reference = await whole.evaluateQuery(SHARDED, { [BASE]: events }, shard("2024-03-01", 3, k));
      expect(sorted(out.rows)).toEqual(sorted(reference.rows));
    }
  });

  it("evaluates again for another pushed filter value or another version, not for what the view does not push or read", async () => {
    const versions = { [BASE]: "keys-v1" };
    await cached.evaluateQuery(SHARDED, { [BASE]: events }, shard("2024-03-01", 2, 0), { versions });
    // The dedup view's day is not pushed below it (a copy on the next day decides), so another day
    // reads the same evaluation; another event_id (pushed: it keeps whole copy groups) does not.
    const otherDay = await cached.evaluateQuery(SHARDED, { [BASE]: events }, shard("2024-03-02", 2, 0), { versions });
    expect(viewPieces(otherDay.requests)).toEqual([]);
    const byId = (id: string) =>
      cached.evaluateQuery("SELECT order_id FROM curated.commerce_events_dedup WHERE event_id = @id", { [BASE]: events }, { id: { type: "STRING", value: id } }, { versions });
    await byId("e1");
    expect(viewPieces((await byId("e2")).requests)).toHaveLength(1);
    const otherColumns = await cached.evaluateQuery(
      "SELECT order_id, ingest_time FROM curated.commerce_events_dedup WHERE event_date = @d AND MOD(ABS(FARM_FINGERPRINT(order_id)), @n) = @k",
      { [BASE]: events },
      shard("2024-03-01", 2, 0),
      { versions },
    );
    // The dedup view reads every column itself (its tie-break fingerprints the whole row), so another
    // reader column set sends the same base columns and shares the evaluation.
    expect(viewPieces(otherColumns.requests)).toEqual([]);
    const otherVersion = await cached.evaluateQuery(SHARDED, { [BASE]: events }, shard("2024-03-01", 2, 1), { versions: { [BASE]: "keys-v2" } });
    expect(viewPieces(otherVersion.requests)).toHaveLength(1);
    // No versions given: never cached.
    const unversioned = await cached.evaluateQuery(SHARDED, { [BASE]: events }, shard("2024-03-01", 2, 1));
    expect(viewPieces(unversioned.requests)).toHaveLength(1);
  });

  it("gives exactly the rows of evaluating the view each time, on random data and shards", async () => {
    let version = 0;
    const day = fc.constantFrom("2024-03-01", "2024-03-02");
    const row = fc
      .record({
        id: fc.integer({ min: 0, max: 20 }),
        order: fc.option(fc.integer({ min: 0, max: 25 }), { nil: null, freq: 6 }),
        second: fc.integer({ min: 0, max: 59 }),
        date: day,
        source: fc.constantFrom("stream", "ledger_repair"),
        revenue: fc.integer({ min: 0, max: 999 }),
      })
      .map((r) => {
        const e = event(`e${r.id}`, `O-${r.order}`, `${r.date}T10:00:${String(r.second).padStart(2, "0")}Z`, {
          event_date: r.date,
          occurred_at: `${r.date}T10:00:00Z`,
          source: r.source,
          revenue_usd: `${r.revenue}.00`,
        });
        if (r.order === null) delete e.order_id;
        return e;
      });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 50 }), day, fc.integer({ min: 1, max: 4 }), async (rows, d, n) => {
        const versions = { [BASE]: `random-${version++}` };
        for (let k = 0; k < n; k++) {
          const params = shard(d, n, k);
          const [withCache, withoutCache, reference] = await Promise.all([
            cached.evaluateQuery(SHARDED, { [BASE]: rows }, params, { versions }),
            uncached.evaluateQuery(SHARDED, { [BASE]: rows }, params, { versions }),
            whole.evaluateQuery(SHARDED, { [BASE]: rows }, params),
          ]);
          expect(sorted(withCache.rows)).toEqual(sorted(withoutCache.rows));
          expect(sorted(withCache.rows)).toEqual(sorted(reference.rows));
          // The uncached connection evaluates the view for every shard; the cached one for the first only.
          expect(viewPieces(withoutCache.requests)).toHaveLength(1);
          expect(viewPieces(withCache.requests)).toHaveLength(k === 0 ? 1 : 0);
        }
      }),
      { numRuns: 8 },
    );
  });
});

describe("view cache through the local warehouse", () => {
  let stateDir: string;
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), "streamline-view-cache-"));
  });
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  const day = { type: "DATE", value: "2024-03-01" } as const;
  const readShard = (wh: LocalWarehouse, k: number) =>
    wh.query(`${SHARDED} ORDER BY order_id`, { d: day, n: { type: "INT64", value: 1 }, k: { type: "INT64", value: k } });
  // A curated row as the contract requires it.
  const stored = (eventId: string, orderId: string, ingest: string, over: Row = {}) =>
    event(eventId, orderId, ingest, { channel: "web", is_late: false, enrichment_status: "complete", ...over });
  const insert = async (wh: LocalWarehouse, row: Row) => expect((await wh.insertRows(BASE, [row])).failed).toEqual([]);

  it("sees a row inserted between two queries, by this instance or another one over the same files", async () => {
    const wh = new LocalWarehouse({ stateDir, zetasql: cached });
    await insert(wh, stored("e1", "O-1", "2024-03-01T10:00:01Z"));
    expect((await readShard(wh, 0)).rows.map((r) => r.order_id)).toEqual(["O-1"]);
    await insert(wh, stored("e2", "O-2", "2024-03-01T10:00:02Z"));
    expect((await readShard(wh, 0)).rows.map((r) => r.order_id)).toEqual(["O-1", "O-2"]);
    await insert(new LocalWarehouse({ stateDir, zetasql: cached }), stored("e3", "O-3", "2024-03-01T10:00:03Z"));
    expect((await readShard(wh, 0)).rows.map((r) => r.order_id)).toEqual(["O-1", "O-2", "O-3"]);
  });

  it("sees every DML rewrite, also one that keeps the file's length", async () => {
    const wh = new LocalWarehouse({ stateDir, zetasql: cached });
    await insert(wh, stored("e1", "O-1", "2024-03-01T10:00:01Z", { revenue_usd: "11.00" }));
    const revenue = async () => (await readShard(wh, 0)).rows.map((r) => r.revenue_usd);
    expect(await revenue()).toEqual(["11"]);
    for (const value of ["22.00", "33.00", "11.00"]) {
      await wh.query(`UPDATE ${BASE} SET revenue_usd = NUMERIC '${value}' WHERE event_id = 'e1'`);
      expect(await revenue()).toEqual([String(Number(value))]);
    }
  });
});
