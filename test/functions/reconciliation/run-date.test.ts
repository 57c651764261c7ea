import { addDays, dayCloseInstant, InvalidRunDateError, localDate, resolveRunDate } from "../../../functions/reconciliation/run-date";

describe("resolveRunDate", () => {
  it("resolves previous_day in the schedule's zone, not UTC's", () => {
    // 02:30 in Amsterdam on 2024-05-03 is still 2024-05-03 00:30Z: yesterday is 2024-05-02 either way...
    expect(resolveRunDate("previous_day", new Date("2024-05-03T00:30:00Z"), "Europe/Amsterdam")).toBe("2024-05-02");
    // ...but 23:30Z on 2024-05-02 is already 01:30 on 2024-05-03 in Amsterdam: yesterday is 2024-05-02, not 05-01.
    expect(resolveRunDate("previous_day", new Date("2024-05-02T23:30:00Z"), "Europe/Amsterdam")).toBe("2024-05-02");
    expect(resolveRunDate("previous_day", new Date("2024-05-02T23:30:00Z"), "UTC")).toBe("2024-05-01");
    // Los Angeles is behind UTC: 2024-05-03T05:00Z is 22:00 on 2024-05-02 there.
    expect(resolveRunDate("previous_day", new Date("2024-05-03T05:00:00Z"), "America/Los_Angeles")).toBe("2024-05-01");
  });

  it("crosses month and year ends", () => {
    expect(resolveRunDate("previous_day", new Date("2024-01-01T06:00:00Z"), "Europe/Amsterdam")).toBe("2023-12-31");
    expect(resolveRunDate("previous_day", new Date("2024-03-01T06:00:00Z"), "UTC")).toBe("2024-02-29");
  });

  it("keeps an explicit date and rejects anything else", () => {
    expect(resolveRunDate("2024-02-29", new Date(), "UTC")).toBe("2024-02-29");
    for (const bad of ["2023-02-29", "2024-13-01", "yesterday", "2024-5-2", 20240502, null, undefined]) {
      expect(() => resolveRunDate(bad, new Date(), "UTC")).toThrow(InvalidRunDateError);
    }
  });
});

describe("dayCloseInstant", () => {
  it("is local midnight after the date, in UTC", () => {
    expect(dayCloseInstant("2024-05-02", "Europe/Amsterdam").toISOString()).toBe("2024-05-02T22:00:00.000Z");
    expect(dayCloseInstant("2024-05-02", "Asia/Tokyo").toISOString()).toBe("2024-05-02T15:00:00.000Z");
    expect(dayCloseInstant("2024-05-02", "America/Los_Angeles").toISOString()).toBe("2024-05-03T07:00:00.000Z");
    expect(dayCloseInstant("2024-05-02", "UTC").toISOString()).toBe("2024-05-03T00:00:00.000Z");
  });

  it("follows daylight saving changes (Amsterdam switches on 2024-03-31 and 2024-10-27)", () => {
    expect(dayCloseInstant("2024-03-30", "Europe/Amsterdam").toISOString()).toBe("2024-03-30T23:00:00.000Z");
    expect(dayCloseInstant("2024-03-31", "Europe/Amsterdam").toISOString()).toBe("2024-03-31T22:00:00.000Z");
    expect(dayCloseInstant("2024-10-27", "Europe/Amsterdam").toISOString()).toBe("2024-10-27T23:00:00.000Z");
  });

  it("is 01:00 where a DST change skips midnight (Santiago springs forward at 00:00 on 2024-09-08)", () => {
    expect(dayCloseInstant("2024-09-07", "America/Santiago").toISOString()).toBe("2024-09-08T04:00:00.000Z");
  });

  it("agrees with localDate: one ms before the close is still the date, the close is the next day", () => {
    for (const tz of ["Europe/Amsterdam", "Asia/Kolkata", "America/St_Johns", "Pacific/Kiritimati", "America/Santiago", "Africa/Monrovia"]) {
      const close = dayCloseInstant("2024-07-15", tz);
      expect(localDate(new Date(close.getTime() - 1), tz)).toBe("2024-07-15");
      expect(localDate(close, tz)).toBe(addDays("2024-07-15", 1));
    }
  });
});
