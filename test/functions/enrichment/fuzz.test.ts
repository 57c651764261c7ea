import fc from "fast-check";
import { processMessage, type CoreOptions } from "../../../functions/enrichment/core";
import { CuratedWriter } from "../../../functions/enrichment/curated-writer";
import { EnrichmentHandler, type PushResponse } from "../../../functions/enrichment/handler";
import { RecentEventIds } from "../../../functions/enrichment/recent-event-ids";
import type { DeadLetterPublisher } from "../../../functions/runtime/dead-letter-publisher";
import { createLogger } from "../../../functions/runtime/logger";
import { RecordingWarehouse } from "../../../local/warehouse/recording-warehouse";
import { MAX_EVENT_BYTES, POISON_REASONS, RESERVED_KEYS, commerceEventFields, toAvroJson } from "../../../contracts";
import { REFERENCE } from "../../../fixtures/commerce-events";
import { validEventArb } from "./fixtures";

// Adversarial input through decode -> validate -> enrich and through the push handler the HTTP
// function calls: nothing throws, every answer is one of the verdicts, no prototype is touched.
// 10,500 cases in all, a few seconds.

const OPTS: CoreOptions = { lateThresholdSeconds: 3600, pipelineVersion: "fuzz" };
const NOW = Date.parse("2026-03-01T08:00:00Z");
const FIELDS = Object.keys(commerceEventFields);

/** Keys that reach prototypes or shadow Object methods in a plain object, and odd ones. */
const specialKey = fc.constantFrom(...RESERVED_KEYS, "toString", "hasOwnProperty", "valueOf", "__defineGetter__", "", "é", "\u0000", "a.b", "/", "~1");
const boundaryNumber = fc.constantFrom(
  "0",
  "-0",
  "1e400",
  "-1e400",
  "5e-324",
  "1.5",
  "9007199254740991",
  "9007199254740992",
  "-9007199254740993",
  "1e21",
  "10000",
  "10001",
  "-1000001",
  "123456789012345678901234567890",
);
const hugeString = fc.integer({ min: 100, max: MAX_EVENT_BYTES + 100 }).map((n) => JSON.stringify("x".repeat(n)));
const deepNesting = fc.tuple(fc.integer({ min: 1, max: 5_000 }), fc.boolean()).map(([depth, arrays]) => (arrays ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(depth) + "1" + "}".repeat(depth)));
/** A raw JSON text for a value: what JSON.stringify cannot produce (1e400, -0, deep nesting) included. */
const rawValue = fc.oneof(
  boundaryNumber,
  hugeString,
  deepNesting,
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? "null"),
  specialKey.map((k) => `{${JSON.stringify(k)}:"x"}`),
  fc.constantFrom('{"string":"x"}', '{"long":-2}', '{"map":{"__proto__":"x"}}', '{"map":{"k":1}}', "null", "true", '""'),
);

/** A valid event's wire text with some fields replaced, added or removed: near-valid input finds the edges. */
const mutatedEvent = fc
  .tuple(
    validEventArb,
    fc.boolean(),
    fc.array(fc.tuple(fc.oneof(fc.constantFrom(...FIELDS), specialKey), fc.option(rawValue, { nil: undefined })), { minLength: 1, maxLength: 3 }),
  )
  .map(([event, avro, edits]) => {
    const base = avro ? toAvroJson(commerceEventFields, event) : { ...event };
    const pairs = new Map(Object.entries(base).map(([k, v]) => [k, JSON.stringify(v) ?? "null"]));
    for (const [key, raw] of edits) {
      if (raw === undefined) pairs.delete(key);
      else pairs.set(key, raw);
    }
    return Buffer.from(`{${[...pairs].map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`);
  });

const VERDICTS = new Set(["ok", "poison"]);
const REASONS = new Set<string>(POISON_REASONS);
const prototypeNames = (o: object) => Object.getOwnPropertyNames(o).sort().join(",");
const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype];
const pristine = PROTOTYPES.map(prototypeNames);
const untouched = () => {
  expect(PROTOTYPES.map(prototypeNames)).toEqual(pristine);
  expect((({}) as Record<string, unknown>).x).toBeUndefined();
};

function classify(data: Buffer): void {
  const v = processMessage(data, REFERENCE, NOW, OPTS);
  if (!VERDICTS.has(v.kind)) throw new Error(`not a verdict: ${JSON.stringify(v)}`);
  if (v.kind === "poison" && !REASONS.has(v.reason)) throw new Error(`unknown reason ${v.reason}`);
  if (v.kind === "ok" && (v.row.quantity ?? 1) === 0) throw new Error("a zero quantity was curated");
}

describe("fuzzing decode -> validate -> enrich", () => {
  afterEach(untouched);

  it("classifies arbitrary bytes", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2_000 }), (bytes) => classify(Buffer.from(bytes))), { numRuns: 2_500 });
  });

  it("classifies arbitrary JSON, with special keys at any depth", () => {
    const json = fc.jsonValue({ maxDepth: 6 }).chain((v) => fc.tuple(fc.constant(v), specialKey));
    fc.assert(
      fc.property(json, ([value, key]) => {
        classify(Buffer.from(JSON.stringify(value) ?? "null"));
        classify(Buffer.from(`{${JSON.stringify(key)}:${JSON.stringify(value) ?? "null"}}`));
      }),
      { numRuns: 2_000 },
    );
  });

  it("classifies near-valid events: boundary numbers, huge strings, deep nesting, special keys, dropped fields", () => {
    fc.assert(fc.property(mutatedEvent, classify), { numRuns: 3_500 });
  });
});

describe("fuzzing the push handler", () => {
  afterEach(untouched);

  const deadLetters: DeadLetterPublisher & { count: number } = {
    count: 0,
    async publish() {
      return String(++this.count);
    },
  };
  const logger = createLogger({ level: "silent" });
  // Every third insert call fails as a whole: transient answers are part of the mix.
  class FlakyWarehouse extends RecordingWarehouse {
    private calls = 0;
    override insertRows(...args: Parameters<RecordingWarehouse["insertRows"]>) {
      return ++this.calls % 3 === 0 ? Promise.reject(new Error("UNAVAILABLE")) : super.insertRows(...args);
    }
  }
  const flaky = new FlakyWarehouse();
  const handler = new EnrichmentHandler({
    options: OPTS,
    references: { get: () => REFERENCE },
    writer: new CuratedWriter({ warehouse: flaky, flushMaxRows: 50, flushMaxBytes: 1e6, flushConcurrency: 4, logger }),
    deadLetters,
    recent: new RecentEventIds(1_000),
    logger,
    now: () => NOW,
  });
  const ANSWERS = new Set([204, 200, 503]);
  const seen = new Map<number, number>();
  const answer = (r: PushResponse) => {
    if (!ANSWERS.has(r.status)) throw new Error(`unexpected answer ${r.status} ${r.body}`);
    seen.set(r.status, (seen.get(r.status) ?? 0) + 1);
  };

  it("answers every envelope ok (204), poison (200, dead-lettered) or transient (503)", async () => {
    const data = fc.oneof(mutatedEvent, validEventArb.map((e) => Buffer.from(JSON.stringify(toAvroJson(commerceEventFields, e)))), fc.uint8Array({ maxLength: 300 }).map(Buffer.from));
    const attributes = fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), specialKey), fc.oneof(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 })) as fc.Arbitrary<unknown>, { maxKeys: 3 });
    await fc.assert(
      fc.asyncProperty(data, attributes, fc.string({ minLength: 1, maxLength: 12 }), async (bytes, attrs, messageId) => {
        answer(await handler.handle({ message: { data: bytes.toString("base64"), messageId, attributes: attrs }, subscription: "projects/p/subscriptions/enrichment" }));
      }),
      { numRuns: 2_000 },
    );
    // The mix exercised every verdict: written, dead-lettered, and retried after a failed insert.
    expect([...seen.keys()].sort()).toEqual([200, 204, 503]);
  });

  it("answers 400, never throwing, to a body that is not a push envelope", async () => {
    const body = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.record({ message: fc.jsonValue({ maxDepth: 3 }) }), fc.record({ message: fc.record({ data: fc.jsonValue({ maxDepth: 1 }), messageId: fc.jsonValue({ maxDepth: 1 }) }) }));
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const r = await handler.handle(b);
        if (![400, 204, 200, 503].includes(r.status)) throw new Error(`unexpected answer ${r.status}`);
      }),
      { numRuns: 500 },
    );
  });
});
