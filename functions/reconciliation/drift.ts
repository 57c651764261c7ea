import type { RUN_STATUSES } from "../../contracts/tables";

export type RunStatus = (typeof RUN_STATUSES)[number];

/** Drift ratio thresholds from config.reconciliation.thresholds (fraction of the ledger, 0-1). */
export interface DriftThresholds {
  countDriftRatio: number;
  revenueDriftRatio: number;
}

export interface SideTotals {
  orders: number;
  /** USD, as a number: ratios do not need NUMERIC precision. */
  revenueUsd: number;
}

export interface DriftRatios {
  count: number;
  revenue: number;
}

/**
 * |stream - ledger| / ledger. An empty ledger with an empty stream has no drift; an empty ledger
 * with anything streamed is total drift (1), not a division by zero.
 */
export function driftRatio(stream: number, ledger: number): number {
  if (ledger === 0) return stream === 0 ? 0 : 1;
  return Math.abs(stream - ledger) / Math.abs(ledger);
}

export function driftRatios(stream: SideTotals, ledger: SideTotals): DriftRatios {
  return { count: driftRatio(stream.orders, ledger.orders), revenue: driftRatio(stream.revenueUsd, ledger.revenueUsd) };
}

/** fail when a ratio exceeds its threshold, warn when one exceeds half of it, else pass. */
export function decideStatus(ratios: DriftRatios, thresholds: DriftThresholds): Extract<RunStatus, "pass" | "warn" | "fail"> {
  const pairs: [number, number][] = [
    [ratios.count, thresholds.countDriftRatio],
    [ratios.revenue, thresholds.revenueDriftRatio],
  ];
  if (pairs.some(([r, t]) => r > t)) return "fail";
  if (pairs.some(([r, t]) => r > t / 2)) return "warn";
  return "pass";
}

/** Which metrics exceed their threshold, for the alert. */
export function breaches(ratios: DriftRatios, thresholds: DriftThresholds): ("count" | "revenue")[] {
  const out: ("count" | "revenue")[] = [];
  if (ratios.count > thresholds.countDriftRatio) out.push("count");
  if (ratios.revenue > thresholds.revenueDriftRatio) out.push("revenue");
  return out;
}

/** A previous run's ratios; null where that run did not compute one. */
export interface PreviousRatios {
  count: number | null;
  revenue: number | null;
}

export interface DriftTrend {
  count: number | null;
  revenue: number | null;
}

/** Each ratio minus its mean over the previous runs (null when no previous run has that ratio). */
export function driftTrend(current: DriftRatios, previous: readonly PreviousRatios[]): DriftTrend {
  const trend = (now: number, past: (number | null)[]) => {
    const known = past.filter((v): v is number => v !== null && Number.isFinite(v));
    return known.length === 0 ? null : now - known.reduce((a, b) => a + b, 0) / known.length;
  };
  return {
    count: trend(current.count, previous.map((p) => p.count)),
    revenue: trend(current.revenue, previous.map((p) => p.revenue)),
  };
}
