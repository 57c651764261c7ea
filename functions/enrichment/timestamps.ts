import { DAY_MS } from "../../config/calendar-date";

// The contract's pattern admits "2024-02-31T25:61:00Z"; BigQuery would reject such a row at insert.
// This parses RFC 3339 and checks the calendar, so an impossible instant is poison at validation.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|([+-])(\d{2}):(\d{2}))$/;

const MIN_MS = -62135596800000 + DAY_MS;
const MAX_MS = 253402300799999 - DAY_MS;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Epoch milliseconds of an RFC 3339 timestamp (sub-ms digits truncated); null if not a real instant. */
export function parseRfc3339(s: string): number | null {
  const m = RFC3339.exec(s);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number);
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
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  const t = d.getTime() - offsetMin * 60_000;
  // BigQuery TIMESTAMP/DATE span 0001-01-01 to 9999-12-31; a day of margin keeps the local date
  // (any zone) inside that range too.
  return t >= MIN_MS && t <= MAX_MS ? t : null;
}
