import fc from "fast-check";
import { isoTimestamp, parseRfc3339 } from "../../../functions/enrichment/timestamps";

const DAY_MS = 86_400_000;
// The span parseRfc3339 accepts: BigQuery's 0001-01-01 .. 9999-12-31, a day of margin each side.
const MIN_MS = -62135596800000 + DAY_MS;
const MAX_MS = 253402300799999 - DAY_MS;

describe("parseRfc3339", () => {
  it("reads back every instant Date prints, years 1-99 included (Date.UTC would read those as 19xx)", () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_MS, max: MAX_MS }), (t) => {
        expect(parseRfc3339(new Date(t).toISOString())).toBe(t);
      }),
      { numRuns: 5000 },
    );
    expect(parseRfc3339("0050-06-15T12:00:00Z")).toBe(Date.parse("0050-06-15T12:00:00Z"));
  });

  it("applies the offset and truncates sub-millisecond digits", () => {
    expect(parseRfc3339("2026-03-01T07:30:00.123456789+05:30")).toBe(Date.parse("2026-03-01T02:00:00.123Z"));
    expect(parseRfc3339("2026-03-01T07:30:00.5-08:00")).toBe(Date.parse("2026-03-01T15:30:00.500Z"));
  });

  it("refuses instants the calendar does not have", () => {
    expect(parseRfc3339("2024-02-29T00:00:00Z")).toBe(Date.parse("2024-02-29T00:00:00Z"));
    expect(parseRfc3339("2000-02-29T00:00:00Z")).not.toBeNull();
    for (const bad of ["2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2024-04-31T00:00:00Z", "2024-13-01T00:00:00Z", "2024-00-10T00:00:00Z", "2024-02-31T25:61:00Z", "2024-01-01T23:59:60Z", "2024-01-01T00:00:00+24:00", "0000-01-01T00:00:00Z"]) {
      expect(parseRfc3339(bad)).toBeNull();
    }
  });

  it("refuses instants whose local date could leave BigQuery's range", () => {
    expect(parseRfc3339("0001-01-01T00:00:00Z")).toBeNull();
    expect(parseRfc3339("9999-12-31T12:00:00Z")).toBeNull();
  });
});

describe("isoTimestamp", () => {
  it("prints what Date#toISOString prints, across minutes, hours and years, in any order", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 253402300799999 }), { minLength: 1, maxLength: 20 }), fc.integer({ min: 0, max: 120_000 }), (starts, step) => {
        for (const t of starts) for (const ms of [t, t + 1, t + step, t + 59_999]) if (ms <= 253402300799999) expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 2000 },
    );
    expect(isoTimestamp(Date.parse("2026-03-01T07:30:05.007Z"))).toBe("2026-03-01T07:30:05.007Z");
  });
});
