import { Writable } from "node:stream";
import { CuratedWriter } from "../../../functions/enrichment/curated-writer";
import { EnrichmentHandler } from "../../../functions/enrichment/handler";
import { RecentEventIds } from "../../../functions/enrichment/recent-event-ids";
import type { DeadLetterPublisher } from "../../../functions/runtime/dead-letter-publisher";
import { createLogger } from "../../../functions/runtime/logger";
import { RecordingWarehouse, type RecordingWarehouseOptions } from "../../../local/warehouse/recording-warehouse";
import { REFERENCE, orderPlaced, wireBytes } from "../../../fixtures/commerce-events";

const logs: Record<string, unknown>[] = [];
const logger = createLogger({
  destination: new Writable({
    write(chunk, _e, cb) {
      for (const l of String(chunk).split("\n").filter(Boolean)) logs.push(JSON.parse(l));
      cb();
    },
  }),
});

class CollectingDeadLetters implements DeadLetterPublisher {
  readonly published: { data: Buffer; attributes: Record<string, string> }[] = [];
  failing = false;
  async publish(data: Buffer, attributes: Record<string, string>): Promise<string> {
    if (this.failing) throw new Error("UNAVAILABLE");
    this.published.push({ data, attributes });
    return String(this.published.length);
  }
}

function setup(warehouseOpts: RecordingWarehouseOptions = {}) {
  const warehouse = new RecordingWarehouse(warehouseOpts);
  const deadLetters = new CollectingDeadLetters();
  const writer = new CuratedWriter({ warehouse, flushMaxRows: 500, flushMaxBytes: 5e6, flushConcurrency: 4, logger });
  const handler = new EnrichmentHandler({
    options: { lateThresholdSeconds: 3600, pipelineVersion: "t" },
    references: { get: () => REFERENCE },
    writer,
    deadLetters,
    recent: new RecentEventIds(100),
    logger,
  });
  return { warehouse, deadLetters, handler, writer };
}

const envelope = (data: Buffer, messageId = "m1", attributes: Record<string, string> = {}) => ({
  message: { data: data.toString("base64"), messageId, attributes },
  subscription: "projects/p/subscriptions/enrichment",
});

describe("EnrichmentHandler", () => {
  it("acks a written row and drops an immediate redelivery, counting it", async () => {
    const s = setup();
    expect((await s.handler.handle(envelope(wireBytes(orderPlaced()), "m1"))).status).toBe(204);
    expect((await s.handler.handle(envelope(wireBytes(orderPlaced()), "m2"))).status).toBe(204);
    expect(s.warehouse.inserted.map((r) => r.insertId)).toEqual(["evt-1"]);
    expect(s.handler.counters).toMatchObject({ ok: 1, duplicates_dropped: 1 });
  });

  it("marks a row that came through the replay topic as source = replay, and only that one", async () => {
    const s = setup();
    await s.handler.handle(envelope(wireBytes(orderPlaced({ event_id: "live" })), "m1"));
    await s.handler.handle(envelope(wireBytes(orderPlaced({ event_id: "replayed" })), "m2", { replay_of: "m0", replay_run: "run-1" }));
    expect(s.warehouse.inserted.map((r) => [r.insertId, (r.row as { source: string }).source])).toEqual([
      ["live", "stream"],
      ["replayed", "replay"],
    ]);
  });

  it("batches concurrent requests into one flush and logs its freshness", async () => {
    const s = setup({ insertDelayMs: 20 });
    const responses = await Promise.all(Array.from({ length: 30 }, (_, i) => s.handler.handle(envelope(wireBytes(orderPlaced({ event_id: `e${i}` })), `m${i}`))));
    expect(responses.every((r) => r.status === 204)).toBe(true);
    expect(s.warehouse.insertCalls).toBeLessThan(30);
    const flush = logs.filter((l) => l.event === "curated_flush").pop();
    expect(flush).toEqual(expect.objectContaining({ freshness_p50_s: expect.any(Number), freshness_p99_s: expect.any(Number), freshness_max_s: expect.any(Number) }));
  });

  it("dead-letters poison with the original bytes and attributes, then acks", async () => {
    const s = setup();
    const bytes = Buffer.from("{nope");
    const r = await s.handler.handle(envelope(bytes, "m9", { origin: "pos" }));
    expect(r.status).toBe(200);
    expect(s.deadLetters.published[0].data.equals(bytes)).toBe(true);
    expect(s.deadLetters.published[0].attributes).toMatchObject({
      origin: "pos",
      reason: "malformed_json",
      source_message_id: "m9",
      source_subscription: "projects/p/subscriptions/enrichment",
      stage: "decode",
      error_class: "poison",
      pipeline_version: "t",
    });
  });

  it("does not ack poison it could not dead-letter", async () => {
    const s = setup();
    s.deadLetters.failing = true;
    expect((await s.handler.handle(envelope(Buffer.from("{nope")))).status).toBe(503);
  });

  it("answers non-2xx for a transient write failure, then succeeds on redelivery", async () => {
    const s = setup({ transientFailures: { "evt-1": 1 } });
    expect((await s.handler.handle(envelope(wireBytes(orderPlaced())))).status).toBe(503);
    expect((await s.handler.handle(envelope(wireBytes(orderPlaced())))).status).toBe(204);
    expect(s.warehouse.inserted).toHaveLength(1);
  });

  it("answers non-2xx when the whole insert fails", async () => {
    const s = setup({ failNextCalls: 1 });
    expect((await s.handler.handle(envelope(wireBytes(orderPlaced())))).status).toBe(503);
  });

  it("dead-letters a row the warehouse rejects as invalid", async () => {
    const s = setup({ invalidRows: ["evt-1"] });
    expect((await s.handler.handle(envelope(wireBytes(orderPlaced())))).status).toBe(200);
    expect(s.deadLetters.published[0].attributes).toMatchObject({ reason: "rejected_by_warehouse", stage: "write" });
  });

  it("rejects a request that is not a push envelope with 400", async () => {
    const s = setup();
    expect((await s.handler.handle({ hello: "world" })).status).toBe(400);
  });

  describe("conflicting copies (same event_id, different payload)", () => {
    const conflicts = () => logs.filter((l) => l.event === "conflicting_copy");

    it("drops a later copy with another payload, keeps the first written, and flags it with a log event and a counter", async () => {
      const s = setup();
      const before = conflicts().length;
      await s.handler.handle(envelope(wireBytes(orderPlaced({ quantity: 3 })), "m1"));
      // A redelivery in the other encoding is the same payload: a plain duplicate, no conflict.
      await s.handler.handle(envelope(Buffer.from(JSON.stringify(orderPlaced({ quantity: 3 }))), "m2"));
      expect(s.handler.counters).toMatchObject({ ok: 1, duplicates_dropped: 1, conflicting_copies: 0 });
      await s.handler.handle(envelope(wireBytes(orderPlaced({ quantity: 4, occurred_at: "2026-03-01T08:00:01Z" })), "m3"));
      expect(s.warehouse.inserted.map((r) => r.row.quantity)).toEqual([3]);
      expect(s.handler.counters).toMatchObject({ ok: 1, duplicates_dropped: 2, conflicting_copies: 1 });
      const flagged = conflicts().slice(before);
      expect(flagged).toEqual([
        expect.objectContaining({ event_id: "evt-1", message_id: "m3", conflicting_copies: 1, written_fingerprint: expect.any(String), copy_fingerprint: expect.any(String) }),
      ]);
      expect(flagged[0].written_fingerprint).not.toBe(flagged[0].copy_fingerprint);
    });

    it("flags a conflicting copy that arrives while the first is still being written", async () => {
      const s = setup({ insertDelayMs: 30 });
      const first = s.handler.handle(envelope(wireBytes(orderPlaced({ quantity: 1 })), "m1"));
      await new Promise((r) => setImmediate(r));
      const second = await s.handler.handle(envelope(wireBytes(orderPlaced({ quantity: 2 })), "m2"));
      expect((await first).status).toBe(204);
      expect(second.status).toBe(204);
      expect(s.warehouse.inserted).toHaveLength(1);
      expect(s.handler.counters.conflicting_copies).toBe(1);
    });
  });
});
