import { localDate } from "../../config/calendar-date";

const HOUR_MS = 3_600_000;

/** One second before the store-local midnight that starts the day of `iso`: the previous local date. */
export function lastInstantOfPreviousLocalDay(iso: string, timeZone: string): string {
  const ms = Date.parse(iso);
  const day = localDate(ms, timeZone);
  // Back by the hour into the previous day, then forward by the minute (zone offsets are whole minutes) to its last minute.
  let t = ms - (ms % 60_000);
  while (localDate(t, timeZone) === day) t -= HOUR_MS;
  while (localDate(t + 60_000, timeZone) !== day) t += 60_000;
  return new Date(t + 59_000).toISOString();
}

/** `iso` moved on by deltaMs, unless that crosses the store-local midnight: then `iso` itself. */
export function sameLocalDayAfter(iso: string, deltaMs: number, timeZone: string): string {
  const later = Date.parse(iso) + deltaMs;
  return localDate(later, timeZone) === localDate(Date.parse(iso), timeZone) ? new Date(later).toISOString() : iso;
}
