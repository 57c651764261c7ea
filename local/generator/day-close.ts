import { dayCloseInstant, localDate } from "../../config/calendar-date";

/**
 * No order is planned this close before its store's local midnight: its ingest could land on either
 * side of the day's close (the pipeline's delay is not the generator's to know), so whether it is a
 * late_arrival would depend on the machine's load. Ten minutes is far above any local ingest delay.
 */
export const DAY_CLOSE_GUARD_MS = 10 * 60_000;

/** Whether an event published at publishMs is within the guard before its store's next local midnight. */
export function nearDayClose(publishMs: number, timeZone: string): boolean {
  const close = dayCloseInstant(localDate(publishMs, timeZone), timeZone).getTime();
  return close - publishMs <= DAY_CLOSE_GUARD_MS;
}

/** Whether an order of business day orderDate, first published at publishMs, arrives after its day closed. */
export function publishedAfterClose(publishMs: number, orderDate: string, timeZone: string): boolean {
  return publishMs >= dayCloseInstant(orderDate, timeZone).getTime();
}
