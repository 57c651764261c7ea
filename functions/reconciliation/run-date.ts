import { addDays, isCalendarDate, localDate } from "../../config/calendar-date";
import { PREVIOUS_DAY } from "../../contracts/reconcile-request";

// Which business day a request (contracts/reconcile-request.ts) reconciles: "previous_day" is resolved
// from the message's publish time in the schedule's time zone, so a job firing at 02:30
// Europe/Amsterdam reconciles the Amsterdam yesterday, whatever the UTC date is.

/** A request's run_date that is neither "YYYY-MM-DD" (a real calendar day) nor "previous_day". */
export class InvalidRunDateError extends Error {
  constructor(readonly value: unknown) {
    super(`run_date must be "YYYY-MM-DD" or "${PREVIOUS_DAY}", got ${JSON.stringify(value)}`);
    this.name = "InvalidRunDateError";
  }
}

/** PREVIOUS_DAY -> the day before publishTime's local date in timeZone; a date is validated and kept. */
export function resolveRunDate(requested: unknown, publishTime: Date, timeZone: string): string {
  if (requested === PREVIOUS_DAY) return addDays(localDate(publishTime.getTime(), timeZone), -1);
  if (typeof requested === "string" && isCalendarDate(requested)) return requested;
  throw new InvalidRunDateError(requested);
}
