import type fc from "fast-check";

/** Runs a fast-check scheduler until no task is left, including tasks scheduled a few microtasks after a completion. */
export async function drain(s: fc.Scheduler): Promise<void> {
  do {
    await s.waitAll();
    await new Promise((r) => setImmediate(r));
  } while (s.count() > 0);
}
