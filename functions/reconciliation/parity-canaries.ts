import type { PARITY_KINDS } from "../../contracts/tables";
import type { QueryParam, QueryResult, Row } from "../runtime/warehouse";
import type { ExampleRow } from "./discrepancies";
import { runbookLink } from "../../contracts/runbook";
import { combineLostEvents, shardParams } from "./shards";

export type ParityKind = (typeof PARITY_KINDS)[number];

/** Runbook sections of the parity alerts (headings of docs/RUNBOOK.md). */
export const PARITY_RUNBOOK = { lostInEnrichment: runbookLink("parity-lost-in-enrichment") } as const;

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
  query: <T extends Row>(sql: string, params: Record<string, QueryParam>) => Promise<QueryResult<T>>,
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
