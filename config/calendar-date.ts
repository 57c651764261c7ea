import { DAY } from "./duration";

// Calendar days as "YYYY-MM-DD" text, the form BigQuery DATE, run dates and suppression expiries take,
// and the local date of an instant in a time zone. The one date helper module for stacks/, functions/
// (bundled with them), local/ and scripts/.

/** One day in milliseconds (BigQuery's `*_ms` expirations, Date arithmetic). */
export const DAY_MS = DAY * 1000;

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for "YYYY-MM-DD" naming a real calendar day ("2026-02-30" is not one). */
export function isCalendarDate(s: string): boolean {
  const m = DATE_TEXT.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Calendar arithmetic on "YYYY-MM-DD" (no time zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Midnight UTC starting the day, in epoch milliseconds. */
export function startOfDayMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

// Today's UTC offsets are whole multiples of 15 minutes, so the local calendar date rarely changes
// inside an aligned 15-minute UTC window: a window whose first and last millisecond fall on the same
// local date is cached (two Intl calls per zone and window); one that straddles a change (historical
// offsets such as Monrovia's -00:44:30) is computed per instant. Enrichment calls this per event.
const WINDOW_MS = 15 * 60_000;
const MAX_CACHED = 50_000;

const formatters = new Map<string, Intl.DateTimeFormat | null>();
/** Per zone, window number -> local date; numeric keys, no key string built per call. */
const dates = new Map<string, Map<number, string>>();
let cached = 0;

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      // en-CA formats dates as YYYY-MM-DD.
      f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    } catch {
      f = null;
    }
    formatters.set(timeZone, f);
  }
  return f;
}

function format(f: Intl.DateTimeFormat, epochMs: number): string {
  const parts = f.formatToParts(epochMs);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year").padStart(4, "0")}-${get("month")}-${get("day")}`;
}

/** The calendar date (YYYY-MM-DD) of an instant (epoch ms) in an IANA time zone; UTC for an unknown zone. */
export function localDate(epochMs: number, timeZone: string | null): string {
  const window = Math.floor(epochMs / WINDOW_MS);
  const zone = timeZone ?? "UTC";
  let windows = dates.get(zone);
  const hit = windows?.get(window);
  if (hit !== undefined) return hit;
  const f = (timeZone && formatterFor(timeZone)) || formatterFor("UTC")!;
  const first = format(f, window * WINDOW_MS);
  if (first !== format(f, (window + 1) * WINDOW_MS - 1)) return format(f, epochMs);
  if (cached >= MAX_CACHED) {
    dates.clear();
    cached = 0;
  }
  if (!windows) dates.set(zone, (windows = new Map()));
  windows.set(window, first);
  cached++;
  return first;
}

/**
 * The instant `date` closed in `timeZone`: the first second whose local date is the next day. Usually
 * local midnight; where a DST change skips midnight (America/Santiago in September), 01:00. Found by
 * bisection over +-15 h around midnight UTC, since local dates only move forward across that window.
 */
export function dayCloseInstant(date: string, timeZone: string): Date {
  const next = addDays(date, 1);
  const midnightUtcS = startOfDayMs(next) / 1000;
  let lo = midnightUtcS - 15 * 3600; // local date still `date` or earlier (offsets are at most +14 h)
  let hi = midnightUtcS + 15 * 3600; // local date already `next` or later (offsets are at least -12 h)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDate(mid * 1000, timeZone) >= next) hi = mid;
    else lo = mid;
  }
  return new Date(hi * 1000);
}
