import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CuratedRow } from "../../contracts";
import { REFERENCE_SQL } from "../../functions/enrichment/reference-cache";
import { recomputeParity } from "../../functions/reconciliation/parity-canaries";
import { RECOMPUTED_COLUMNS } from "../../functions/reconciliation/recompute-parity";
import type { QueryParam, Row } from "../../functions/runtime/warehouse";
import { farmFingerprint } from "../../local/zetasql/farm-fingerprint";
import { startZetaSql, type ZetaSqlSession } from "../../local/zetasql";
import { LATE_THRESHOLD_SECONDS, REFERENCE_TABLES, RUN_DATE, rawRow, streamedDay, wirePayload } from "./fixtures/recompute-day";

// The recompute parity canary on ZetaSQL: the sample query over the raw mirror and the curated dedup
// view, the reference tables read by the enrichment's own statements, the enrichment core re-run.
const SQL = join(__dirname, "..", "..", "sql");
const read = (file: string) => readFileSync(join(SQL, file), "utf8");
const sql = {
  sample: read("parity/recompute_sample.sql"),
  reference: { products: read(REFERENCE_SQL.products), stores: read(REFERENCE_SQL.stores), fxRates: read(REFERENCE_SQL.fxRates) },
};

let zs: ZetaSqlSession;
beforeAll(async () => {
  zs = await startZetaSql();
});
afterAll(async () => {
  await zs?.close();
});

async function canary(tables: { raw: Row[]; curated: Row[]; ref?: Record<string, Row[]> }, sampleSize = 200, topK = 20, shards = 1) {
  const content = { "raw.commerce_events": tables.raw, "curated.commerce_events": tables.curated, ...(tables.ref ?? REFERENCE_TABLES) };
  const query = async <T extends Row>(text: string, params: Record<string, QueryParam> = {}) => ({ rows: (await zs.evaluateQuery(text, content, params)).rows as T[] });
  return recomputeParity(query, sql, { runDate: RUN_DATE, sampleSize, lateThresholdSeconds: LATE_THRESHOLD_SECONDS, topK, shards });
}

test("in event_id shards (as locally, where one ZetaSQL request is capped at 4 MiB) it samples and finds exactly what one query does", async () => {
  const day = streamedDay();
  const altered = { raw: day.raw, curated: day.curated.map((r) => (r.event_id === "e-ams" ? { ...r, revenue_usd: "34.5" } : r)) };
  for (const sampleSize of [1, 2, 200]) {
    const whole = await canary(altered, sampleSize);
    for (const shards of [2, 3, 5]) expect(await canary(altered, sampleSize, 20, shards)).toEqual(whole);
  }
  expect((await canary(altered, 200, 20, 3)).parityMismatch).toBe(1);
});

test("a clean day: every sampled curated row equals its recompute from the raw mirror", async () => {
  const day = streamedDay();
  const result = await canary(day);
  expect(result).toEqual({ sampled: day.curated.length, parityMismatch: 0, examples: [] });
  // The comparison covers the computed columns, not only the publisher's.
  expect(RECOMPUTED_COLUMNS).toEqual(expect.arrayContaining(["revenue_usd", "event_date", "is_late", "enrichment_status", "product_category", "store_region"]));
});

test("a curated row whose revenue_usd was altered: exactly that column, with both values and the difference", async () => {
  const day = streamedDay();
  const altered = day.curated.map((r) => (r.event_id === "e-ams" ? { ...r, revenue_usd: "34.5" } : r));
  const original = day.curated.find((r) => r.event_id === "e-ams")!.revenue_usd;
  expect(original).toBe("34.02"); // 3 x 10.50 EUR at 1.08
  const result = await canary({ raw: day.raw, curated: altered });
  expect(result.parityMismatch).toBe(1);
  expect(result.examples).toEqual([
    {
      kind: "parity_mismatch",
      order_id: "O-e-ams",
      store_id: "S-AMS",
      channel: "web",
      field: "revenue_usd",
      stream_value: "34.5",
      ledger_value: "34.02",
      difference: "0.48",
      detail: "event e-ams (message m-1): curated revenue_usd 34.5, recomputed from the raw mirror 34.02",
    },
  ]);
});

test("several altered columns are each a finding; top-K cuts the rows, not the count", async () => {
  const day = streamedDay();
  const altered = day.curated.map((r): CuratedRow => {
    if (r.event_id === "e-tyo") return { ...r, event_date: "2024-05-02" };
    if (r.event_id === "e-late") return { ...r, is_late: false, enrichment_status: "complete" };
    return r;
  });
  const all = await canary({ raw: day.raw, curated: altered });
  expect(all.parityMismatch).toBe(3);
  expect(all.examples.map((e) => [e.stream_value === null ? null : e.detail?.split(" ")[1], e.field, e.stream_value, e.ledger_value]).sort()).toEqual(
    [
      ["e-late", "enrichment_status", "complete", "unknown_sku"],
      ["e-late", "is_late", "false", "true"],
      ["e-tyo", "event_date", "2024-05-02", "2024-05-03"],
    ].sort(),
  );
  const cut = await canary({ raw: day.raw, curated: altered }, 200, 1);
  expect([cut.parityMismatch, cut.examples.length]).toEqual([3, 1]);
});

test("reference data that changed since the stream read it shows as a mismatch of the looked-up column", async () => {
  const day = streamedDay();
  const ref = { ...REFERENCE_TABLES, "ref.products": REFERENCE_TABLES["ref.products"].map((p) => (p.sku === "SKU-2" ? { ...p, brand: "Verde Garden" } : p)) };
  const result = await canary({ raw: day.raw, curated: day.curated, ref });
  expect(result.examples.map((e) => [e.field, e.stream_value, e.ledger_value])).toEqual([["product_brand", "Verde", "Verde Garden"]]);
});

test("the sample is deterministic: the first events by FARM_FINGERPRINT(event_id), whatever the row order", async () => {
  const day = streamedDay();
  const expected = day.curated
    .map((r) => r.event_id)
    .sort((a, b) => {
      const d = farmFingerprint(a)! - farmFingerprint(b)!;
      return d < 0n ? -1 : d > 0n ? 1 : 0;
    })
    .slice(0, 3);
  // Plant a difference on every event: the findings name exactly the sampled ones.
  const altered = day.curated.map((r) => ({ ...r, store_region: "XX" }));
  const sampledIds = async (raw: Row[], curated: Row[]) => (await canary({ raw, curated }, 3)).examples.map((e) => e.detail!.split(" ")[1]).sort();
  expect(await sampledIds(day.raw, altered)).toEqual([...expected].sort());
  expect(await sampledIds([...day.raw].reverse(), [...altered].reverse())).toEqual([...expected].sort());
});

test("leaves out ledger repairs, other days' messages and non-curated events; a duplicate publish is one event; a replayed row is compared", async () => {
  const day = streamedDay();
  const ams = day.curated.find((r) => r.event_id === "e-ams")!;
  const curated: Row[] = [
    ...day.curated.map((r) => (r.event_id === "e-cart" ? { ...r, source: "replay", ingest_time: "2024-05-04T09:00:00.000Z", is_late: true } : r)),
    { ...ams, event_id: "ledger-O-9", order_id: "O-9", source: "ledger_repair" },
    // Curated, but its only message was published the next day: that day's sample.
    { ...ams, event_id: "e-next", order_id: "O-next" },
  ];
  const raw = [
    ...day.raw,
    rawRow("m-dup", "2024-05-02T08:00:03Z", Buffer.from(String(day.raw[0].data), "base64").toString()),
    rawRow("m-repair", "2024-05-02T08:30:00Z", wirePayload({ ...ams, event_id: "ledger-O-9", order_id: "O-9", revenue_usd: undefined })),
    rawRow("m-next-day", "2024-05-03T00:00:01Z", wirePayload({ ...ams, event_id: "e-next", order_id: "O-next" })),
    rawRow("m-lost", "2024-05-02T10:00:00Z", wirePayload({ event_id: "e-never-curated", event_type: "cart.item_added", occurred_at: "2024-05-02T10:00:00Z", store_id: "S-AMS", channel: "web", sku: "SKU-1", quantity: 1 })),
  ];
  const result = await canary({ raw, curated });
  expect(result).toEqual({ sampled: day.curated.length, parityMismatch: 0, examples: [] });
});

test("an event the recompute rejects where the stream curated it is a finding on its verdict", async () => {
  const day = streamedDay();
  const raw = day.raw.map((r) => (r.message_id === "m-3" ? rawRow("m-3", String(r.publish_time), wirePayload({ event_id: "e-cart", event_type: "cart.item_added", occurred_at: "2024-05-02T17:59:59Z", store_id: "S-LAX", channel: "app" })) : r));
  const result = await canary({ raw, curated: day.curated });
  expect(result.examples.map((e) => [e.field, e.stream_value, e.ledger_value?.split(" (")[0]])).toEqual([["verdict", "curated", "dead-lettered: missing_required_field"]]);
});
