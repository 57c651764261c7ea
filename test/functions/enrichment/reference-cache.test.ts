import { ReferenceCache } from "../../../functions/enrichment/reference-cache";
import { EMPTY_REFERENCE_DATA, type ReferenceData } from "../../../functions/enrichment/reference-data";

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe("ReferenceCache", () => {
  it("awaits only the first load, then serves the stale snapshot while one refresh runs in the background", async () => {
    let now = 0;
    const loads: ReturnType<typeof deferred<ReferenceData>>[] = [];
    const cache = new ReferenceCache({ ttlMs: 1000, now: () => now, load: () => (loads.push(deferred<ReferenceData>()), loads[loads.length - 1].promise) });
    const first = cache.get();
    expect(first).toBeInstanceOf(Promise);
    const v1 = { ...EMPTY_REFERENCE_DATA };
    loads[0].resolve(v1);
    await expect(first).resolves.toBe(v1);

    now = 1500; // past the TTL
    expect(cache.get()).toBe(v1); // served at once, not awaited
    expect(cache.get()).toBe(v1);
    expect(loads).toHaveLength(2); // exactly one background refresh
    const v2 = { ...EMPTY_REFERENCE_DATA };
    loads[1].resolve(v2);
    await loads[1].promise;
    await Promise.resolve();
    expect(cache.get()).toBe(v2);
  });

  it("keeps the previous snapshot when a refresh fails", async () => {
    let now = 0;
    let fail = false;
    const v1 = { ...EMPTY_REFERENCE_DATA };
    const cache = new ReferenceCache({ ttlMs: 10, now: () => now, load: async () => (fail ? Promise.reject(new Error("503")) : v1) });
    await cache.get();
    fail = true;
    now = 100;
    expect(cache.get()).toBe(v1);
    await new Promise((r) => setImmediate(r));
    expect(cache.get()).toBe(v1);
  });
});
