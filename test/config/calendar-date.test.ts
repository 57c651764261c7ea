import { addDays, DAY_MS, isCalendarDate, startOfDayMs } from "../../config/calendar-date";

test.each([
  ["2024-02-29", true],
  ["2026-02-28", true],
  ["2026-02-29", false],
  ["2026-02-30", false],
  ["2026-13-01", false],
  ["2026-6-30", false],
  ["2026-06-30T00:00:00Z", false],
  ["", false],
])("isCalendarDate(%j) = %s", (text, expected) => {
  expect(isCalendarDate(text)).toBe(expected);
});

test("addDays crosses month, leap day and year ends", () => {
  expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
  expect(addDays("2026-02-28", 1)).toBe("2026-03-01");
  expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
  expect(addDays("2026-01-01", -1)).toBe("2025-12-31");
});

test("a day is DAY_MS long from midnight UTC", () => {
  expect(startOfDayMs("2026-03-02") - startOfDayMs("2026-03-01")).toBe(DAY_MS);
  expect(new Date(startOfDayMs("2026-03-01")).toISOString()).toBe("2026-03-01T00:00:00.000Z");
});
