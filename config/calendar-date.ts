import { DAY } from "./duration";

// Calendar days as "YYYY-MM-DD" text, the form BigQuery DATE, run dates and suppression expiries take.

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
