/**
 * Which business day a request reconciles. Cloud Scheduler cannot template dates, so the nightly job
 * sends {"run_date":"previous_day"} and the day is resolved from the message's publish time in the
 * schedule's time zone: a job firing at 02:30 Europe/Amsterdam reconciles the Amsterdam yesterday,
 * whatever the UTC date is.
 */

export const PREVIOUS_DAY = "previous_day";

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A request's run_date that is neither "YYYY-MM-DD" (a real calendar day) nor "previous_day". */
export class InvalidRunDateError extends Error {
  constructor(readonly value: unknown) {
    super(`run_date must be "YYYY-MM-DD" or "${PREVIOUS_DAY}", got ${JSON.stringify(value)}`);
    this.name = "InvalidRunDateError";
  }
}

export function isCalendarDate(s: string): boolean {
  const m = DATE_TEXT.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** "YYYY-MM-DD" of an instant as seen in `timeZone`. */
export function localDate(instant: Date, timeZone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);
}

/** Calendar arithmetic on "YYYY-MM-DD" (no time zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** "previous_day" -> the day before publishTime's local date in timeZone; a date is validated and kept. */
export function resolveRunDate(requested: unknown, publishTime: Date, timeZone: string): string {
  if (requested === PREVIOUS_DAY) return addDays(localDate(publishTime, timeZone), -1);
  if (typeof requested === "string" && isCalendarDate(requested)) return requested;
  throw new InvalidRunDateError(requested);
}

/**
 * The instant `date` closed in `timeZone`: the first second whose local date is the next day. Usually
 * local midnight; where a DST change skips midnight (America/Santiago in September), 01:00. Found by
 * bisection over +-15 h around midnight UTC, since local dates only move forward across that window.
 */
export function dayCloseInstant(date: string, timeZone: string): Date {
  const next = addDays(date, 1);
  const [y, m, d] = next.split("-").map(Number);
  const midnightUtcS = Date.UTC(y, m - 1, d) / 1000;
  let lo = midnightUtcS - 15 * 3600; // local date still `date` or earlier (offsets are at most +14 h)
  let hi = midnightUtcS + 15 * 3600; // local date already `next` or later (offsets are at least -12 h)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDate(new Date(mid * 1000), timeZone) >= next) hi = mid;
    else lo = mid;
  }
  return new Date(hi * 1000);
}
