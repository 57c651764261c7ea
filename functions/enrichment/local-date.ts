// Today's UTC offsets are whole multiples of 15 minutes, so the local calendar date rarely changes
// inside an aligned 15-minute UTC window: a window whose first and last millisecond fall on the same
// local date is cached (two Intl calls per zone and window); one that straddles a change (historical
// offsets such as Monrovia's -00:44:30) is computed per instant.
const WINDOW_MS = 15 * 60_000;
const MAX_CACHED = 50_000;

const formatters = new Map<string, Intl.DateTimeFormat | null>();
const dates = new Map<string, string>();

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

/** The calendar date (YYYY-MM-DD) of an instant in an IANA time zone; UTC for an unknown zone. */
export function localDate(epochMs: number, timeZone: string | null): string {
  const window = Math.floor(epochMs / WINDOW_MS);
  const key = `${timeZone ?? "UTC"}|${window}`;
  const hit = dates.get(key);
  if (hit !== undefined) return hit;
  const f = (timeZone && formatterFor(timeZone)) || formatterFor("UTC")!;
  const first = format(f, window * WINDOW_MS);
  if (first !== format(f, (window + 1) * WINDOW_MS - 1)) return format(f, epochMs);
  if (dates.size >= MAX_CACHED) dates.clear();
  dates.set(key, first);
  return first;
}

function format(f: Intl.DateTimeFormat, epochMs: number): string {
  const parts = f.formatToParts(epochMs);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year").padStart(4, "0")}-${get("month")}-${get("day")}`;
}
