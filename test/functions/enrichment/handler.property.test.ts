import fc from "fast-check";
import { CuratedWriter } from "../../../functions/enrichment/curated-writer";
import { EnrichmentHandler, type PushResponse } from "../../../functions/enrichment/handler";
import { RecentEventIds } from "../../../functions/enrichment/recent-event-ids";
import type { DeadLetterPublisher } from "../../../functions/runtime/dead-letter-publisher";
import { createLogger } from "../../../functions/runtime/logger";
import { TransientWarehouseError, type InsertOptions, type InsertResult, type Row, type Warehouse } from "../../../functions/runtime/warehouse";
import { drain } from "../../support/drain-scheduler";
import { REFERENCE, orderPlaced, wireBytes } from "../../../fixtures/commerce-events";

/** What one insert call does: succeed, throw as a whole, or fail the rows whose bit is set (retryable). */
type CallPlan = { kind: "throw" } | { kind: "rows"; failMask: number };
const callPlanArb: fc.Arbitrary<CallPlan> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ kind: "throw" } as const) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("rows" as const), failMask: fc.oneof(fc.constant(0), fc.nat(255)) }) },
);

const noDeadLetters: DeadLetterPublisher = {
  publish: () => Promise.reject(new Error("no event here is poison")),
};

describe("EnrichmentHandler with pipelined group commit, under random interleavings and flush failures", () => {
  it("acks only after the flush carrying the row succeeded, answers non-2xx for a failed row, and joins in-flight redeliveries", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 16 }),
        fc.array(callPlanArb, { minLength: 1, maxLength: 8 }),
        async (s, flushConcurrency, flushMaxRows, deliveries, plans) => {
          let clock = 0;
          /** event id -> when an insert call carrying it returned it as written. */
          const writtenAt = new Map<string, number>();
          const inFlightIds = new Set<string>();
          let calls = 0;
          const violations: string[] = [];
          let callsInFlight = 0;
          const warehouse: Warehouse = {
            async insertRows(_table, rows: Row[], opts: InsertOptions = {}): Promise<InsertResult> {
              const ids = opts.insertIds!;
              // Recorded, not thrown: a throw here would only look like a failed insert to the handler.
              // An in-flight redelivery joins the pending write: no event is in two insert calls at once.
              for (const id of ids) if (inFlightIds.has(id)) violations.push(`${id} in two insert calls at once`);
              if (new Set(ids).size !== ids.length) violations.push(`one insert call carries an id twice: ${ids.join(",")}`);
              if (rows.length > flushMaxRows) violations.push(`${rows.length} rows in one call, limit ${flushMaxRows}`);
              if (++callsInFlight > flushConcurrency) violations.push(`${callsInFlight} insert calls in flight, limit ${flushConcurrency}`);
              ids.forEach((id) => inFlightIds.add(id));
              const plan = plans[calls++ % plans.length];
              try {
                await s.schedule(Promise.resolve(), `insert ${ids.join(",")}`);
              } finally {
                callsInFlight--;
                ids.forEach((id) => inFlightIds.delete(id));
              }
              if (plan.kind === "throw") throw new TransientWarehouseError("503 backendError");
              const failed = ids.flatMap((_id, index) => ((plan.failMask >> index) & 1 ? [{ index, reason: "backendError", retryable: true }] : []));
              ids.forEach((id, index) => failed.some((f) => f.index === index) || writtenAt.set(id, ++clock));
              return { inserted: ids.length - failed.length, failed };
            },
            query: () => Promise.reject(new Error("not used")),
          };
          const logger = createLogger({ level: "silent" });
          const handler = new EnrichmentHandler({
            options: { lateThresholdSeconds: 3600, pipelineVersion: "t" },
            references: { get: () => REFERENCE },
            writer: new CuratedWriter({ warehouse, flushMaxRows, flushMaxBytes: 5e6, flushConcurrency, logger }),
            deadLetters: noDeadLetters,
            recent: new RecentEventIds(100),
            logger,
            now: () => Date.parse("2026-03-01T08:00:00Z"),
          });
          const responses: { eventId: string; at: number; response: PushResponse; writtenBefore: boolean }[] = [];
          const deliver = (eventId: string, n: number) => {
            const body = { message: { data: wireBytes(orderPlaced({ event_id: eventId })).toString("base64"), messageId: `m${n}`, attributes: {} }, subscription: "projects/p/subscriptions/enrichment" };
            return handler.handle(body).then((response) => {
              const at = ++clock;
              const w = writtenAt.get(eventId);
              responses.push({ eventId, at, response, writtenBefore: w !== undefined && w < at });
            });
          };
          // Deliveries (redeliveries of a few event ids) arrive in order, interleaved at random with insert completions.
          const arrivals = s.scheduleSequence(deliveries.map((e, n) => ({ label: `deliver e${e}`, builder: async () => void deliver(`e${e}`, n) })));
          await s.waitFor(arrivals.task);
          await drain(s);

          expect(violations).toEqual([]);
          expect(responses).toHaveLength(deliveries.length);
          for (const r of responses) {
            const acked = r.response.status >= 200 && r.response.status < 300;
            // Acked only once written; not acked exactly when the write carrying it failed.
            expect({ eventId: r.eventId, acked }).toEqual({ eventId: r.eventId, acked: r.writtenBefore });
          }
          // Every event written at most once per successful flush: no second write once one succeeded.
          expect(handler.counters.ok).toBe(writtenAt.size);
        },
      ),
      { numRuns: 150 },
    );
  });
});
