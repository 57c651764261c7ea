import { createHash } from "node:crypto";
import { opsReconciliationRuns } from "../../contracts/tables";
import type { Fields } from "../../contracts/field";
import type { CompleteRowOf } from "../../contracts/derive/typescript-types";
import type { ParamType, QueryParam } from "../runtime/warehouse";
import type { KindCounts } from "./discrepancies";
import type { DriftRatios, DriftThresholds, DriftTrend, RunStatus } from "./drift";

/**
 * One ops.reconciliation_runs row with every column, keyed by column name (NUMERIC as decimal strings),
 * derived from the table's contract: a column added there must be filled here before this compiles.
 */
export type RunRecord = CompleteRowOf<typeof opsReconciliationRuns.fields>;

/** What identifies and configures a run, fixed for its duration. */
export interface RunIdentity {
  run_id: string;
  run_date: string;
  environment: string;
  code_version: string;
  config_hash: string;
  started_at: Date;
}

/** Short, stable hash of the effective settings: equal hashes mean runs are comparable. */
export function configHash(settings: object): string {
  return createHash("sha256").update(canonicalJson(settings)).digest("hex").slice(0, 16);
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

const EMPTY_COUNTS: { [K in keyof KindCounts]: null } = {
  missing_in_stream: null,
  extra_in_stream: null,
  duplicate_in_stream: null,
  amount_mismatch: null,
  late_arrival: null,
  explained_by_dlq: null,
};

function base(id: RunIdentity, finishedAt: Date, bytesProcessed: number | null) {
  return {
    run_id: id.run_id,
    run_date: id.run_date,
    environment: id.environment,
    code_version: id.code_version,
    config_hash: id.config_hash,
    started_at: id.started_at.toISOString(),
    finished_at: finishedAt.toISOString(),
    duration_ms: Math.max(0, finishedAt.getTime() - id.started_at.getTime()),
    bytes_processed: bytesProcessed,
  };
}

export interface CompletedRun {
  status: Extract<RunStatus, "pass" | "warn" | "fail">;
  streamOrders: number;
  ledgerOrders: number;
  streamRevenueUsd: string;
  ledgerRevenueUsd: string;
  counts: KindCounts;
  ratios: DriftRatios;
  thresholds: DriftThresholds;
  trend: DriftTrend;
  /** Events of the raw mirror neither curated nor dead-lettered (stream parity canary); null when it could not run. */
  lostInEnrichment: number | null;
  /** Recompute parity canary (recompute-parity.ts); null when it could not run. */
  paritySampled: number | null;
  parityMismatch: number | null;
}

export function completedRunRecord(id: RunIdentity, finishedAt: Date, bytesProcessed: number | null, r: CompletedRun): RunRecord {
  return {
    ...base(id, finishedAt, bytesProcessed),
    status: r.status,
    stream_orders: r.streamOrders,
    ledger_orders: r.ledgerOrders,
    stream_revenue_usd: r.streamRevenueUsd,
    ledger_revenue_usd: r.ledgerRevenueUsd,
    ...r.counts,
    count_drift_ratio: r.ratios.count,
    count_drift_threshold: r.thresholds.countDriftRatio,
    revenue_drift_ratio: r.ratios.revenue,
    revenue_drift_threshold: r.thresholds.revenueDriftRatio,
    count_drift_trend: r.trend.count,
    revenue_drift_trend: r.trend.revenue,
    error_message: null,
    lost_in_enrichment: r.lostInEnrichment,
    parity_sampled: r.paritySampled,
    parity_mismatch: r.parityMismatch,
  };
}

/** A run that produced no comparison: late_source (ledger never landed) or error. */
export function incompleteRunRecord(
  id: RunIdentity,
  finishedAt: Date,
  status: Extract<RunStatus, "late_source" | "error">,
  message: string,
  bytesProcessed: number | null = null,
): RunRecord {
  return {
    ...base(id, finishedAt, bytesProcessed),
    status,
    stream_orders: null,
    ledger_orders: null,
    stream_revenue_usd: null,
    ledger_revenue_usd: null,
    ...EMPTY_COUNTS,
    count_drift_ratio: null,
    count_drift_threshold: null,
    revenue_drift_ratio: null,
    revenue_drift_threshold: null,
    count_drift_trend: null,
    revenue_drift_trend: null,
    error_message: message,
    lost_in_enrichment: null,
    parity_sampled: null,
    parity_mismatch: null,
  };
}

/** Named, typed query parameters for a row, each typed from the table's contract. */
export function rowParams(fields: Fields, row: Record<string, unknown>): Record<string, QueryParam> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, f]) => {
      const value = row[name];
      if (value === undefined) throw new Error(`row has no value for column ${name}`);
      return [name, { type: f.type as ParamType, value: value as QueryParam["value"] }];
    }),
  );
}

export function runRecordParams(run: RunRecord): Record<string, QueryParam> {
  return rowParams(opsReconciliationRuns.fields, run);
}
