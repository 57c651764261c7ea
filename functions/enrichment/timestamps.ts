import { DAY_MS } from "../../config/calendar-date";

// The contract's pattern admits "2024-02-31T25:61:00Z"; BigQuery would reject such a row at insert.
// This parses RFC 3339 and checks the calendar, so an impossible instant is poison at validation.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|([+-])(\d{2}):(\d{2}))$/;

const MIN_MS = -62135596800000 + DAY_MS;
const MAX_MS = 253402300799999 - DAY_MS;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
}

/** Epoch ms of a UTC calendar instant; Date.UTC reads years 0-99 as 1900-1999, so those take setUTCFullYear. */
function utcMs(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number {
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  return d.getTime();
}

/** Epoch milliseconds of an RFC 3339 timestamp (sub-ms digits truncated); null if not a real instant. */
export function parseRfc3339(s: string): number | null {
  const m = RFC3339.exec(s);
  if (!m) return null;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  const hour = +m[4];
  const minute = +m[5];
  const second = +m[6];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMin = 0;
  if (m[8] !== "Z") {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return null;
    offsetMin = (m[9] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, "0")) : 0;
  const t = utcMs(year, month, day, hour, minute, second, ms) - offsetMin * 60_000;
  // BigQuery TIMESTAMP/DATE span 0001-01-01 to 9999-12-31; a day of margin keeps the local date
  // (any zone) inside that range too.
  return t >= MIN_MS && t <= MAX_MS ? t : null;
}

// The ingest clock moves by milliseconds within the same minute for thousands of events: the
// "YYYY-MM-DDTHH:MM:" prefix is formatted once per minute, the rest by arithmetic (toISOString per
// event was ~5% of the CPU path).
let prefixMinute = NaN;
let prefix = "";

/** Date#toISOString of epoch ms (UTC, millisecond precision), the minute's prefix cached. */
export function isoTimestamp(epochMs: number): string {
  const minute = Math.floor(epochMs / 60_000);
  if (minute !== prefixMinute) {
    prefixMinute = minute;
    prefix = new Date(minute * 60_000).toISOString().slice(0, 17);
  }
  const msOfMinute = epochMs - minute * 60_000;
  const seconds = Math.floor(msOfMinute / 1000);
  const ms = msOfMinute - seconds * 1000;
  return `${prefix}${seconds < 10 ? "0" : ""}${seconds}.${ms < 10 ? "00" : ms < 100 ? "0" : ""}${ms}Z`;
}
