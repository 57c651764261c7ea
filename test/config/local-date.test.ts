import fc from "fast-check";
import { localDate } from "../../config/calendar-date";

const intlDate = (epochMs: number, timeZone: string) =>
  new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(epochMs);

describe("localDate (cached per 15-minute window)", () => {
  it("agrees with Intl where an old offset is not a multiple of 15 minutes (Monrovia, -00:44:30 until 1972)", () => {
    // Both instants fall in one 15-minute UTC window, on either side of Monrovia's local midnight.
    expect(localDate(Date.parse("1960-01-01T00:30:00Z"), "Africa/Monrovia")).toBe("1959-12-31");
    expect(localDate(Date.parse("1960-01-01T00:44:40Z"), "Africa/Monrovia")).toBe("1960-01-01");
  });

  it("agrees with Intl for any instant and zone, in any order of calls", () => {
    const zones = ["Europe/Amsterdam", "America/Santiago", "Asia/Kathmandu", "Australia/Lord_Howe", "Africa/Monrovia", "Europe/Amsterdam", "America/St_Johns"];
    fc.assert(
      fc.property(fc.integer({ min: Date.parse("1900-01-01"), max: Date.parse("2040-01-01") }), fc.constantFrom(...zones), (ms, tz) => {
        expect(localDate(ms, tz)).toBe(intlDate(ms, tz));
      }),
      { numRuns: 3000 },
    );
  });

  it("falls back to UTC for an unknown zone or none", () => {
    expect(localDate(Date.parse("2024-05-02T23:30:00Z"), "Mars/Olympus")).toBe("2024-05-02");
    expect(localDate(Date.parse("2024-05-02T23:30:00Z"), null)).toBe("2024-05-02");
  });
});
