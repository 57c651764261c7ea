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
 * The instant local midnight after `date` happens in `timeZone`, i.e. when that business day closed
 * there. Found by correcting a UTC guess with the zone's offset at the guess (twice, for DST edges).
 */
export function dayCloseInstant(date: string, timeZone: string): Date {
  const [y, m, d] = addDays(date, 1).split("-").map(Number);
  const wallClockAsUtc = Date.UTC(y, m - 1, d);
  let guess = wallClockAsUtc;
  for (let i = 0; i < 2; i++) guess = wallClockAsUtc - offsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

/** The zone's UTC offset at an instant, in ms (positive east of UTC). */
function offsetMs(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(instant);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}
