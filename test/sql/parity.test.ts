import { readFileSync } from "node:fs";
import { join } from "node:path";
import { lostEventExamples, streamParity, type LostEventRow } from "../../functions/reconciliation/parity-canaries";
import { farmFingerprint } from "../../local/zetasql/farm-fingerprint";
import type { Row } from "../../functions/runtime/warehouse";
import { startZetaSql, type ZetaSqlSession } from "../../local/zetasql";
import { deadLetterTableRow, maxAttemptsForward, poisonDeadLetter } from "../support/dead-letter-messages";
import { curatedEvent, STORES } from "./fixtures/reconciliation-day";

const lostSql = readFileSync(join(__dirname, "..", "..", "sql", "parity", "lost_in_enrichment.sql"), "utf8");
const RUN_DATE = "2024-05-02";

let zs: ZetaSqlSession;
beforeAll(async () => {
  zs = await startZetaSql();
});
afterAll(async () => {
  await zs?.close();
});

/** A raw mirror row as the BigQuery subscription writes it, for a payload on the schema'd topic (Avro JSON). */
const raw = (messageId: string, publishTime: string, payload: string): Row => ({
  subscription_name: "projects/p/subscriptions/raw-mirror",
  message_id: messageId,
  publish_time: publishTime,
  data: Buffer.from(payload).toString("base64"),
  attributes: "{}",
});
const event = (id: string, type = "cart.item_added", orderId?: string) =>
  JSON.stringify({ event_id: id, event_type: type, store_id: "S-AMS", channel: "web", ...(orderId ? { order_id: { string: orderId } } : {}) });

const tables = () => ({
  "raw.commerce_events": [
    raw("m1", "2024-05-02T08:00:00Z", event("e-curated", "order.placed", "O-1")),
    raw("m2", "2024-05-02T09:00:00Z", event("e-poison")),
    raw("m3", "2024-05-02T10:00:00Z", event("e-forwarded")),
    raw("m4", "2024-05-02T11:00:00Z", event("e-lost", "order.placed", "O-4")),
    raw("m4b", "2024-05-02T11:00:05Z", event("e-lost", "order.placed", "O-4")), // a duplicate publish: one lost event
    raw("m5", "2024-05-02T12:00:00Z", "{not json"), // no event_id: matched to its dead letter by source message id
    raw("m6", "2024-05-02T13:00:00Z", event("e-lost-cart")),
    raw("m7", "2024-05-03T00:00:01Z", event("e-next-day")), // another day's canary
  ],
  "curated.commerce_events": [curatedEvent({ event_id: "e-curated", order_id: "O-1", store: STORES.ams, occurred_at: "2024-05-02T07:59:00Z", ingest_time: "2024-05-02T08:00:01Z" })],
  "ops.dead_letters": [
    poisonDeadLetter({ id: "d2", publishTime: "2024-05-02T09:00:01Z", payload: event("e-poison"), verdict: { kind: "poison", reason: "schema_violation", detail: "x", stage: "validate" } }),
    maxAttemptsForward({ id: "d3", publishTime: "2024-05-02T10:50:00Z", payload: event("e-forwarded"), attempts: 5 }),
    { ...poisonDeadLetter({ id: "d5", publishTime: "2024-05-02T12:00:01Z", payload: "{not json", verdict: { kind: "poison", reason: "malformed_json", detail: "x", stage: "decode" } }) },
  ]
    .map((m) => (m.id === "d5" ? { ...m, attributes: { ...m.attributes, source_message_id: "m5" } } : m))
    .map(deadLetterTableRow),
});

const run = async (topK = 10) =>
  (
    await zs.evaluateQuery(lostSql, tables(), {
      run_date: { type: "DATE", value: RUN_DATE },
      late_allowance_hours: { type: "INT64", value: 6 },
      shard_count: { type: "INT64", value: 1 },
      shard: { type: "INT64", value: 0 },
      top_k: { type: "INT64", value: topK },
    })
  ).rows as unknown as LostEventRow[];

test("finds exactly the raw-mirror events of the day that are neither curated nor dead-lettered", async () => {
  const rows = await run();
  expect(rows.map((r) => [r.event_id, r.message_id, r.order_id, r.lost_events])).toEqual([
    ["e-lost", "m4", "O-4", 2],
    ["e-lost-cart", "m6", null, 2],
  ]);
});

test("counts every lost event even when top_k cuts the examples", async () => {
  const rows = await run(1);
  expect(rows.map((r) => [r.event_id, r.lost_events])).toEqual([["e-lost", 2]]);
});

test("lost events become discrepancy rows naming the event and the message", async () => {
  const [first] = lostEventExamples(await run(1));
  expect(first).toEqual({
    kind: "lost_in_enrichment",
    order_id: "O-4",
    store_id: "S-AMS",
    channel: "web",
    field: "event_id",
    stream_value: "e-lost",
    ledger_value: null,
    difference: null,
    detail: "order.placed message m4 published 2024-05-02T11:00:00Z: in the raw mirror, not curated, not dead-lettered",
  });
});

describe("run in event hash shards (local days over ZetaSQL's 4 MiB request cap)", () => {
  const canary = (shards: number, topK = 10) =>
    streamParity((sql, params) => zs.evaluateQuery(sql, tables(), params) as never, lostSql, { runDate: RUN_DATE, lateAllowanceHours: 6, topK, shards });
  // The shard lost_in_enrichment.sql puts an event in: MOD(ABS(FARM_FINGERPRINT(event_id)), n).
  const shardOf = (key: string, n: number) => {
    const h = farmFingerprint(key)!;
    return Number((h < 0n ? -h : h) % BigInt(n));
  };

  test("gives the unsharded result for every shard count", async () => {
    const unsharded = await canary(1);
    expect(unsharded.lostInEnrichment).toBe(2);
    // The two lost events must fall in two shards for some count, or combining proves nothing.
    const counts = [2, 3, 4, 5, 7];
    expect(counts.some((n) => shardOf("e-lost", n) !== shardOf("e-lost-cart", n))).toBe(true);
    for (const n of counts) expect(await canary(n)).toEqual(unsharded);
  });

  test("keeps the day's top_k examples, oldest first, and the full count", async () => {
    expect(await canary(4, 1)).toEqual(await canary(1, 1));
    expect((await canary(4, 1)).examples.map((e) => e.stream_value)).toEqual(["e-lost"]);
  });
});
