import fc from "fast-check";
import type { Row } from "../../functions/runtime/warehouse";
import { startZetaSql, type ZetaSqlSession } from "../../local/zetasql";

// The dedup view, evaluated by ZetaSQL over curated rows: one row per event_id however its copies
// differ, the first written winning, also when a re-stamped copy falls on the next day.

let zs: ZetaSqlSession;
beforeAll(async () => {
  zs = await startZetaSql();
});
afterAll(async () => {
  await zs?.close();
});

/** A curated row with the columns the view and these checks read. */
const copy = (event_id: string, event_date: string, ingest_time: string, more: Partial<Row> = {}): Row => ({
  event_id,
  event_type: "order.placed",
  occurred_at: `${event_date}T12:00:00Z`,
  store_id: "s1",
  channel: "store",
  quantity: 1,
  unit_price: "10",
  revenue_usd: "10",
  event_date,
  ingest_time,
  is_late: false,
  enrichment_status: "complete",
  source: "stream",
  ...more,
});

const view = async (rows: Row[], day?: string) => {
  const sql = `SELECT event_id, event_date, ingest_time, quantity FROM curated.commerce_events_dedup WHERE ${day ? "event_date = @d" : "TRUE"} ORDER BY event_id`;
  return (await zs.evaluateQuery(sql, { "curated.commerce_events": rows }, day ? { d: { type: "DATE", value: day } } : {})).rows;
};

describe("curated.commerce_events_dedup", () => {
  it("keeps one row for copies re-stamped across a store's midnight (two event_dates): the first written", async () => {
    // Before: partitioned by (event_date, event_id), both copies survived and revenue counted twice.
    const rows = [copy("e1", "2026-11-24", "2026-11-25T07:59:59Z"), copy("e1", "2026-11-25", "2026-11-25T08:00:03Z")];
    expect(await view(rows)).toEqual([{ event_id: "e1", event_date: "2026-11-24", ingest_time: "2026-11-25T07:59:59Z", quantity: 1 }]);
    // A reader of either day sees it at most once in total: on the winner's day only.
    expect(await view(rows, "2026-11-24")).toHaveLength(1);
    expect(await view(rows, "2026-11-25")).toEqual([]);
  });

  it("lets the first written win even when it is on the later day", async () => {
    const rows = [copy("e1", "2026-11-24", "2026-11-25T09:00:00Z"), copy("e1", "2026-11-25", "2026-11-25T08:00:00Z")];
    expect(await view(rows)).toMatchObject([{ event_date: "2026-11-25" }]);
    expect(await view(rows, "2026-11-24")).toEqual([]);
  });

  it("breaks a tie of ingest_time by the earlier day, then by the row's fingerprint, whatever the row order", async () => {
    const t = "2026-11-25T08:00:00Z";
    const crossDay = [copy("e1", "2026-11-25", t), copy("e1", "2026-11-24", t)];
    expect(await view(crossDay)).toMatchObject([{ event_date: "2026-11-24" }]);
    const sameDay = [copy("e2", "2026-11-24", t, { quantity: 1 }), copy("e2", "2026-11-24", t, { quantity: 2 })];
    const forward = await view(sameDay);
    expect(forward).toHaveLength(1);
    expect(await view([...sameDay].reverse())).toEqual(forward);
  });

  it("keeps one row of identical copies (a retried insert)", async () => {
    const row = copy("e1", "2026-11-24", "2026-11-25T08:00:00Z");
    expect(await view([row, row, row])).toHaveLength(1);
  });

  it("compares copies one day apart at most: copies two days apart are both kept (the documented horizon)", async () => {
    const rows = [copy("e1", "2026-11-23", "2026-11-25T08:00:00Z"), copy("e1", "2026-11-25", "2026-11-25T09:00:00Z")];
    expect(await view(rows)).toHaveLength(2);
  });

  it("holds for any copies of any events on two neighbouring days: one row per event_id, the first written, each day read once", async () => {
    const days = ["2026-11-24", "2026-11-25"];
    const rowArb = fc
      .record({
        id: fc.integer({ min: 0, max: 6 }),
        day: fc.constantFrom(...days),
        second: fc.integer({ min: 0, max: 5 }),
        quantity: fc.integer({ min: 1, max: 3 }),
      })
      .map((r) => copy(`e${r.id}`, r.day, `2026-11-25T08:00:0${r.second}Z`, { quantity: r.quantity }));
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 25 }), async (rows) => {
        const all = await view(rows);
        const ids = [...new Set(rows.map((r) => r.event_id as string))].sort();
        expect(all.map((r) => r.event_id)).toEqual(ids);
        for (const winner of all) {
          const copies = rows.filter((r) => r.event_id === winner.event_id);
          const first = copies.map((r) => `${r.ingest_time as string}|${r.event_date as string}`).sort()[0];
          expect(`${winner.ingest_time as string}|${winner.event_date as string}`).toBe(first);
        }
        const perDay = (await Promise.all(days.map((d) => view(rows, d)))).flat();
        expect(perDay.map((r) => r.event_id).sort()).toEqual(ids);
      }),
      { numRuns: 12 },
    );
  });
});
