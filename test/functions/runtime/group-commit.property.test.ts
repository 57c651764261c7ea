import fc from "fast-check";
import { GroupCommit, type ItemOutcome } from "../../../functions/runtime/group-commit";
import { drain } from "../../support/drain-scheduler";

interface Item {
  id: number;
  bytes: number;
  /** The row fails (retryable) in whatever flush carries it. */
  rowFails: boolean;
  /** The whole flush carrying it throws. */
  flushThrows: boolean;
}

const itemsArb = fc.array(fc.record({ bytes: fc.integer({ min: 1, max: 12 }), rowFails: fc.boolean(), flushThrows: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }) }), { minLength: 1, maxLength: 30 });
const limitsArb = fc.record({ maxItems: fc.integer({ min: 1, max: 6 }), maxBytes: fc.integer({ min: 1, max: 20 }), maxInFlight: fc.integer({ min: 1, max: 5 }) });

describe("GroupCommit under random interleavings of submits and flush completions", () => {
  it("never exceeds its limits, flushes every item once in FIFO order, and settles each item only after its own flush, with its outcome", async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), limitsArb, itemsArb, async (s, limits, specs) => {
        const items: Item[] = specs.map((x, id) => ({ id, ...x }));
        let clock = 0;
        let inFlight = 0;
        const violations: string[] = [];
        const batches: { ids: number[]; finishedAt?: number; threw: boolean }[] = [];
        const gc = new GroupCommit<Item>(
          async (batch) => {
            const record = { ids: batch.map((i) => i.id), threw: batch.some((i) => i.flushThrows) } as (typeof batches)[number];
            batches.push(record);
            // Recorded, not thrown: a throw here would only look like a failed flush.
            const bytes = batch.reduce((n, i) => n + i.bytes, 0);
            if (++inFlight > limits.maxInFlight) violations.push(`${inFlight} flushes in flight, limit ${limits.maxInFlight}`);
            // Formed from what waited when the slot freed: anything still waiting means the batch is full.
            const next = items[batch[batch.length - 1].id + 1];
            if (gc.waiting > 0 && batch.length < limits.maxItems && bytes + next.bytes <= limits.maxBytes) violations.push(`batch ${record.ids.join(",")} left ${next.id} waiting with room for it`);
            if (batch.length > limits.maxItems) violations.push(`${batch.length} items in one flush, limit ${limits.maxItems}`);
            if (batch.length > 1 && bytes > limits.maxBytes) violations.push(`${bytes} bytes in one flush, limit ${limits.maxBytes}`);
            await s.schedule(Promise.resolve(), `flush ${record.ids.join(",")}`);
            inFlight--;
            record.finishedAt = ++clock;
            if (record.threw) throw new Error(`flush ${record.ids.join(",")} failed`);
            return batch.map((i): ItemOutcome => (i.rowFails ? { ok: false, retryable: true, reason: `row ${i.id}` } : { ok: true }));
          },
          limits,
          (i) => i.bytes,
        );
        const settled: { at: number; outcome?: ItemOutcome; error?: unknown }[] = [];
        // Submits arrive one by one, in order, interleaved at random with flush completions.
        const submits = s.scheduleSequence(
          items.map((item) => ({
            label: `submit ${item.id}`,
            builder: async () => {
              gc.submit(item).then(
                (outcome) => (settled[item.id] = { at: ++clock, outcome }),
                (error: unknown) => (settled[item.id] = { at: ++clock, error }),
              );
            },
          })),
        );
        await s.waitFor(submits.task);
        await drain(s);

        expect(violations).toEqual([]);
        expect(batches.flatMap((b) => b.ids)).toEqual(items.map((i) => i.id));
        for (const b of batches) {
          for (const id of b.ids) {
            const got = settled[id];
            expect(got).toBeDefined();
            expect(got.at).toBeGreaterThan(b.finishedAt!);
            if (b.threw) expect(String(got.error)).toContain(`flush ${b.ids.join(",")} failed`);
            else expect(got.outcome).toEqual(items[id].rowFails ? { ok: false, retryable: true, reason: `row ${id}` } : { ok: true });
          }
        }
        expect(gc.waiting).toBe(0);
        expect(gc.flushesInFlight).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
