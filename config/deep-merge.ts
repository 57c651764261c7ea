/** Every field optional, at any depth; arrays stay whole (an override replaces the list). */
export type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/**
 * `base` with `overrides` laid over it: plain objects merge key by key, anything else (a scalar,
 * null, an array) in `overrides` replaces the base value; a key absent or undefined in `overrides`
 * keeps the base value. Neither input is changed and the result shares no object with them, so a
 * caller may edit one environment's config without touching another's.
 */
export function deepMerge<T>(base: T, overrides: DeepPartial<NoInfer<T>>): T {
  return mergeValue(base, overrides) as T;
}

function mergeValue(base: unknown, override: unknown): unknown {
  if (override === undefined) return structuredClone(base);
  if (!isPlainObject(base) || !isPlainObject(override)) return structuredClone(override);
  const merged: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(base), ...Object.keys(override)])) {
    // defineProperty, not assignment: a key named "__proto__" stays a plain data key.
    Object.defineProperty(merged, key, { value: mergeValue(base[key], override[key]), enumerable: true, writable: true, configurable: true });
  }
  return merged;
}
