import { RAW_CONFIGS } from "../../config";
import { base } from "../../config/base";
import { deepMerge } from "../../config/deep-merge";

type Shape = { a: { b: number; c: string | null; list: number[] }; d: Record<string, string>; e?: number };

describe("deepMerge", () => {
  const baseValue: Shape = { a: { b: 1, c: "kept", list: [1, 2, 3] }, d: { team: "x" } };

  test("objects merge key by key; scalars, null and arrays replace; absent or undefined keeps", () => {
    expect(deepMerge(baseValue, { a: { c: null, list: [9] }, d: { extra: "y" }, e: undefined })).toEqual({
      a: { b: 1, c: null, list: [9] },
      d: { team: "x", extra: "y" },
    });
    expect(deepMerge(baseValue, {})).toEqual(baseValue);
  });

  test("changes neither input and shares no object with them", () => {
    const overrides = { a: { list: [7] } };
    const before = structuredClone(baseValue);
    const merged = deepMerge(baseValue, overrides);
    merged.a.list.push(8);
    merged.a.b = 2;
    merged.d.team = "changed";
    expect(baseValue).toEqual(before);
    expect(overrides).toEqual({ a: { list: [7] } });
  });

  test('a key named "__proto__" stays data and does not change the prototype', () => {
    const merged = deepMerge<Record<string, unknown>>({}, JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.keys(merged)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("environment files over config/base.ts", () => {
  test("an environment takes base's value where it says nothing and its own where it does", () => {
    expect(RAW_CONFIGS.staging.pubsub.topics).toEqual(base.pubsub.topics);
    expect(RAW_CONFIGS.prod.pubsub.topics["reconcile-requests"]).toEqual(base.pubsub.topics["reconcile-requests"]);
    expect(RAW_CONFIGS.prod.pubsub.topics["commerce-events"].messageRetention).toBe("2678400s");
    expect(RAW_CONFIGS.prod.functions.enrichment).toEqual({ ...base.functions.enrichment, minInstances: 1, maxInstances: 50 });
    expect(RAW_CONFIGS.prod.pubsub.subscriptions.reconciliation).toEqual(base.pubsub.subscriptions.reconciliation);
  });

  test("editing one environment's config leaves base and the others alone", () => {
    RAW_CONFIGS.dev.functions.reconciliation.maxInstances = 99;
    try {
      expect(base.functions.reconciliation.maxInstances).toBe(1);
      expect(RAW_CONFIGS.prod.functions.reconciliation.maxInstances).toBe(1);
    } finally {
      RAW_CONFIGS.dev.functions.reconciliation.maxInstances = base.functions.reconciliation.maxInstances;
    }
  });
});
