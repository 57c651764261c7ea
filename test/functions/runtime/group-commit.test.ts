import { GroupCommit, type ItemOutcome } from "../../../functions/runtime/group-commit";

function recorder(delayMs: number, fail?: (item: number) => ItemOutcome | null) {
  const batches: number[][] = [];
  const flush = async (items: number[]): Promise<ItemOutcome[]> => {
    batches.push(items);
    await new Promise((r) => setTimeout(r, delayMs));
    return items.map((i) => fail?.(i) ?? { ok: true });
  };
  return { batches, flush };
}

describe("GroupCommit", () => {
  it("writes one item per flush, with no wait, when one caller is in flight at a time", async () => {
    // Fake timers: if submit() waited on any timer (a linger window), it would never resolve here.
    jest.useFakeTimers({ doNotFake: ["queueMicrotask", "nextTick"] });
    try {
      const batches: number[][] = [];
      const gc = new GroupCommit(
        async (items: number[]) => {
          batches.push(items);
          return items.map(() => ({ ok: true }) as ItemOutcome);
        },
        { maxItems: 100, maxBytes: 1e6, maxInFlight: 1 },
        () => 1,
      );
      for (let i = 0; i < 5; i++) await expect(gc.submit(i)).resolves.toEqual({ ok: true });
      expect(batches).toEqual([[0], [1], [2], [3], [4]]);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it("carries everything that arrived during a flush in the next one, up to the limits", async () => {
    const r = recorder(20);
    const gc = new GroupCommit(r.flush, { maxItems: 10, maxBytes: 1e6, maxInFlight: 1 }, () => 1);
    const first = gc.submit(0);
    await new Promise((res) => setImmediate(res)); // the first flush is now in flight
    const rest = Array.from({ length: 25 }, (_, i) => gc.submit(i + 1));
    await Promise.all([first, ...rest]);
    expect(r.batches.map((b) => b.length)).toEqual([1, 10, 10, 5]);
    expect(r.batches.flat()).toEqual(Array.from({ length: 26 }, (_, i) => i));
  });

  it("respects the byte limit but never strands an item larger than it", async () => {
    const r = recorder(5);
    const gc = new GroupCommit(r.flush, { maxItems: 100, maxBytes: 10, maxInFlight: 1 }, (n) => n);
    await Promise.all([4, 4, 4, 50, 1].map((n) => gc.submit(n)));
    expect(r.batches).toEqual([[4, 4], [4], [50], [1]]);
  });

  it("fails only the items a partial flush reports, and rejects a whole batch when the flush throws", async () => {
    const r = recorder(1, (i) => (i === 2 ? { ok: false, retryable: true, reason: "backendError" } : null));
    const gc = new GroupCommit(r.flush, { maxItems: 100, maxBytes: 1e6, maxInFlight: 1 }, () => 1);
    const outcomes = await Promise.all([1, 2, 3].map((i) => gc.submit(i)));
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);

    const boom = new GroupCommit<number>(async () => { throw new Error("503"); }, { maxItems: 10, maxBytes: 1e6, maxInFlight: 2 }, () => 1);
    await expect(Promise.all([boom.submit(1), boom.submit(2)])).rejects.toThrow("503");
  });

  it("keeps up to maxInFlight flushes in flight, each carrying what waited when its slot freed", async () => {
    let inFlight = 0;
    let most = 0;
    const batches: number[][] = [];
    const gc = new GroupCommit(
      async (items: number[]) => {
        batches.push(items);
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 20));
        inFlight--;
        return items.map(() => ({ ok: true }) as ItemOutcome);
      },
      { maxItems: 100, maxBytes: 1e6, maxInFlight: 3 },
      () => 1,
    );
    const submitted: Promise<ItemOutcome>[] = [];
    // One request per macrotask, as HTTP requests arrive: the first three each get a slot of their own.
    for (let i = 0; i < 3; i++) {
      submitted.push(gc.submit(i));
      await new Promise((r) => setImmediate(r));
    }
    expect(gc.flushesInFlight).toBe(3);
    for (let i = 3; i < 10; i++) submitted.push(gc.submit(i));
    expect(gc.waiting).toBe(7);
    await Promise.all(submitted);
    expect(most).toBe(3);
    expect(batches).toEqual([[0], [1], [2], [3, 4, 5, 6, 7, 8, 9]]);
  });

  it("refuses a limit that would never flush", () => {
    const flush = async () => [];
    expect(() => new GroupCommit(flush, { maxItems: 10, maxBytes: 1e6, maxInFlight: 0 }, () => 1)).toThrow("maxInFlight must be an integer >= 1, got 0");
    expect(() => new GroupCommit(flush, { maxItems: 0, maxBytes: 1e6, maxInFlight: 1 }, () => 1)).toThrow("maxItems must be an integer >= 1, got 0");
  });
});
