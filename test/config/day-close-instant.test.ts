import { addDays, dayCloseInstant, localDate } from "../../config/calendar-date";

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
      expect(localDate(close.getTime() - 1, tz)).toBe("2024-07-15");
      expect(localDate(close.getTime(), tz)).toBe(addDays("2024-07-15", 1));
    }
  });
});
