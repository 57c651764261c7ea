import { InvalidRunDateError, resolveRunDate } from "../../../functions/reconciliation/run-date";

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
