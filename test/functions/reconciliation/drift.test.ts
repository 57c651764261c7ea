import { breaches, decideStatus, driftRatio, driftRatios, driftTrend } from "../../../functions/reconciliation/drift";

const thresholds = { countDriftRatio: 0.01, revenueDriftRatio: 0.02 };

describe("drift ratios", () => {
  it("is |stream - ledger| / ledger", () => {
    expect(driftRatio(990, 1000)).toBeCloseTo(0.01, 12);
    expect(driftRatio(1010, 1000)).toBeCloseTo(0.01, 12);
    expect(driftRatios({ orders: 95, revenueUsd: 2100 }, { orders: 100, revenueUsd: 2000 })).toEqual({ count: 0.05, revenue: 0.05 });
  });

  it("treats an empty ledger as no drift when the stream is empty too, and total drift otherwise", () => {
    expect(driftRatio(0, 0)).toBe(0);
    expect(driftRatio(3, 0)).toBe(1);
  });
});

describe("decideStatus", () => {
  it("fails above a threshold, warns above half of it, passes otherwise", () => {
    expect(decideStatus({ count: 0, revenue: 0 }, thresholds)).toBe("pass");
    expect(decideStatus({ count: 0.005, revenue: 0.01 }, thresholds)).toBe("pass"); // exactly half: not above
    expect(decideStatus({ count: 0.0051, revenue: 0 }, thresholds)).toBe("warn");
    expect(decideStatus({ count: 0, revenue: 0.0101 }, thresholds)).toBe("warn");
    expect(decideStatus({ count: 0.01, revenue: 0.02 }, thresholds)).toBe("warn"); // at the threshold: not above
    expect(decideStatus({ count: 0.0101, revenue: 0 }, thresholds)).toBe("fail");
    expect(decideStatus({ count: 0, revenue: 0.03 }, thresholds)).toBe("fail");
  });

  it("names the breached metrics", () => {
    expect(breaches({ count: 0.02, revenue: 0.01 }, thresholds)).toEqual(["count"]);
    expect(breaches({ count: 0.02, revenue: 0.05 }, thresholds)).toEqual(["count", "revenue"]);
    expect(breaches({ count: 0.01, revenue: 0.02 }, thresholds)).toEqual([]);
  });
});

describe("driftTrend", () => {
  it("is the current ratio minus the mean of the previous runs' ratios, skipping missing ones", () => {
    const previous = [
      { count: 0.01, revenue: 0.02 },
      { count: 0.03, revenue: null },
      { count: null, revenue: 0.04 },
    ];
    const t = driftTrend({ count: 0.05, revenue: 0.01 }, previous);
    expect(t.count).toBeCloseTo(0.05 - 0.02, 12);
    expect(t.revenue).toBeCloseTo(0.01 - 0.03, 12);
  });

  it("is null without history", () => {
    expect(driftTrend({ count: 0.05, revenue: 0.01 }, [])).toEqual({ count: null, revenue: null });
    expect(driftTrend({ count: 0.05, revenue: 0.01 }, [{ count: null, revenue: null }])).toEqual({ count: null, revenue: null });
  });
});
