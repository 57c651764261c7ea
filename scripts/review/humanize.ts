/** Values as a reviewer reads them: durations in d/h/min/s, bytes in KiB/MiB/GiB. Pure. */

const DURATION_UNITS: readonly [number, string][] = [
  [86_400, "d"],
  [3_600, "h"],
  [60, "min"],
];

/** 2678400 -> "31 d", 5400 -> "90 min", 45 -> "45 s", 0.5 -> "0.5 s". */
export function humanSeconds(seconds: number): string {
  for (const [size, unit] of DURATION_UNITS) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size} ${unit}`;
  }
  return `${seconds} s`;
}

/** 1536 -> "1.5 KiB", 5242880 -> "5 MiB". */
export function humanBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}

const GOOGLE_DURATION = /^(\d+(?:\.\d+)?)s$/;

/**
 * A value in seconds when the attribute holds a duration: a Google duration string ("600s"), or a
 * number under a name ending in `_seconds` or `_ms`. Undefined for anything else.
 */
export function durationSecondsOf(attribute: string, value: unknown): number | undefined {
  if (typeof value === "string") {
    const m = GOOGLE_DURATION.exec(value);
    return m ? Number(m[1]) : undefined;
  }
  if (typeof value !== "number") return undefined;
  if (attribute.endsWith("_seconds")) return value;
  if (attribute.endsWith("_ms")) return value / 1000;
  return undefined;
}

/** One value for a review line: durations and bytes humanised, lists joined, long text shortened. */
export function humanValue(attribute: string, value: unknown): string {
  if (value === undefined || value === null || value === "") return "(none)";
  const seconds = durationSecondsOf(attribute, value);
  if (seconds !== undefined) return humanSeconds(seconds);
  if (typeof value === "number" && /bytes/i.test(attribute)) return humanBytes(value);
  if (Array.isArray(value)) return value.length === 0 ? "(none)" : value.map((v) => humanValue(attribute, v)).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  const text = String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
