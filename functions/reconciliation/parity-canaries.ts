import type { PARITY_KINDS } from "../../contracts/tables";
import { RUNBOOK_ANCHORS, runbookLink } from "../../contracts/runbook";
import { loadReferenceData, type ReferenceQueries } from "../enrichment/reference-cache";
import type { QueryParam, QueryResult, Row } from "../runtime/warehouse";
import type { ExampleRow } from "./discrepancies";
import { mismatchExamples, recomputeMismatches, type RecomputeSampleRow } from "./recompute-parity";
import { combineLostEvents, shardParams } from "./shards";

export type ParityKind = (typeof PARITY_KINDS)[number];

/** Runbook sections of the parity alerts (headings of docs/RUNBOOK.md). */
export const PARITY_RUNBOOK = {
  lostInEnrichment: runbookLink(RUNBOOK_ANCHORS.parityLostInEnrichment),
  mismatch: runbookLink(RUNBOOK_ANCHORS.parityMismatch),
} as const;

type Query = <T extends Row>(sql: string, params: Record<string, QueryParam>) => Promise<QueryResult<T>>;

/** One row of sql/parity/lost_in_enrichment.sql. */
export interface LostEventRow {
  event_id: string | null;
  event_type: string | null;
  order_id: string | null;
  store_id: string | null;
  channel: string | null;
  message_id: string;
  publish_time: unknown;
  /** UNIX_MICROS(publish_time), to order and combine shards exactly. */
  publish_micros: number | string;
  /** Lost events in all, before the top-K cut. */
  lost_events: number;
}

export interface StreamParity {
  /** Events of the day's raw mirror neither in the curated dedup view nor dead-lettered. */
  lostInEnrichment: number;
  /** At most top-K of them, oldest first, as discrepancy rows. */
  examples: (ExampleRow & { kind: ParityKind })[];
}

const timestampText = (v: unknown): string => (v !== null && typeof v === "object" && "value" in v ? String((v as { value: unknown }).value) : String(v));

/** The lost events as ops.reconciliation_discrepancies rows (kind lost_in_enrichment). */
export function lostEventExamples(rows: readonly LostEventRow[]): StreamParity["examples"] {
  return rows.map((r) => ({
    kind: "lost_in_enrichment",
    order_id: r.order_id,
    store_id: r.store_id,
    channel: r.channel,
    field: "event_id",
    stream_value: r.event_id,
    ledger_value: null,
    difference: null,
    detail: `${r.event_type ?? "unparsed"} message ${r.message_id} published ${timestampText(r.publish_time)}: in the raw mirror, not curated, not dead-lettered`,
  }));
}

/**
 * Stream parity canary: the raw mirror (written by Pub/Sub, independent of the function) against the
 * curated dedup view and the dead letters. Needs no ledger. Run in `shards` event hash shards one
 * after another (the reconciliation's shard count: 1 in BigQuery, more locally where ZetaSQL
 * refuses requests over 4 MiB); the result does not depend on it (shards.ts combineLostEvents).
 */
export async function streamParity(
  query: Query,
  sql: string,
  p: { runDate: string; lateAllowanceHours: number; topK: number; shards?: number },
): Promise<StreamParity> {
  const shards = p.shards ?? 1;
  if (!Number.isInteger(shards) || shards < 1) throw new Error(`streamParity: shards must be an integer >= 1, got ${shards}`);
  const perShard: LostEventRow[][] = [];
  for (let shard = 0; shard < shards; shard++) {
    const { rows } = await query<LostEventRow & Row>(sql, {
      run_date: { type: "DATE", value: p.runDate },
      late_allowance_hours: { type: "INT64", value: p.lateAllowanceHours },
      ...shardParams(shard, shards),
      top_k: { type: "INT64", value: p.topK },
    });
    perShard.push(rows);
  }
  const rows = combineLostEvents(perShard, p.topK);
  return { lostInEnrichment: Number(rows[0]?.lost_events ?? 0), examples: lostEventExamples(rows) };
}

export interface RecomputeParity {
  /** Curated events of the sample re-enriched (fewer than the sample size on a small day). */
  sampled: number;
  /** Compared columns of the sampled rows that differ from their recompute. */
  parityMismatch: number;
  /** At most top-K of the differences, in sample order, as discrepancy rows. */
  examples: (ExampleRow & { kind: ParityKind })[];
}

/**
 * Recompute parity canary: the day's deterministic sample (sql/parity/recompute_sample.sql) re-run
 * through the enrichment core with the reference tables read as the enrichment reads them, compared
 * with the curated rows column by column (recompute-parity.ts).
 */
export async function recomputeParity(
  query: Query,
  sql: { sample: string; reference: ReferenceQueries },
  p: { runDate: string; sampleSize: number; lateThresholdSeconds: number; topK: number; shards?: number },
): Promise<RecomputeParity> {
  const shards = p.shards ?? 1;
  if (!Number.isInteger(shards) || shards < 1) throw new Error(`recomputeParity: shards must be an integer >= 1, got ${shards}`);
  // FX rates from the lookback before the day's end: the window the function had while streaming it.
  const dayEndMs = Date.parse(`${p.runDate}T00:00:00Z`) + 86_400_000;
  const ref = await loadReferenceData({ query }, sql.reference, dayEndMs);
  // Each shard's first sampleSize by key; the smallest keys of all shards are the unsharded sample.
  const candidates: (RecomputeSampleRow & { sample_key: string })[] = [];
  for (let shard = 0; shard < shards; shard++) {
    const { rows } = await query<RecomputeSampleRow & { sample_key: string } & Row>(sql.sample, {
      run_date: { type: "DATE", value: p.runDate },
      sample_size: { type: "INT64", value: p.sampleSize },
      ...shardParams(shard, shards),
    });
    candidates.push(...rows);
  }
  const sample = candidates.sort(bySampleKey).slice(0, p.sampleSize);
  const mismatches = recomputeMismatches(sample, ref, { lateThresholdSeconds: p.lateThresholdSeconds });
  return { sampled: sample.length, parityMismatch: mismatches.length, examples: mismatchExamples(mismatches.slice(0, p.topK)) };
}

/** The SQL's sample order: FARM_FINGERPRINT(event_id) as a signed INT64, then event_id. */
function bySampleKey(a: { sample_key: string; event_id: string | null }, b: { sample_key: string; event_id: string | null }): number {
  const ka = BigInt(a.sample_key);
  const kb = BigInt(b.sample_key);
  if (ka !== kb) return ka < kb ? -1 : 1;
  return String(a.event_id) < String(b.event_id) ? -1 : String(a.event_id) > String(b.event_id) ? 1 : 0;
}
