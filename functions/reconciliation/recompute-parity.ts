import type { CuratedRow } from "../../contracts";
import { curatedCommerceEvents } from "../../contracts/tables";
// The enrichment's own pure core, not a copy: a copy could drift from what the stream runs, which is
// the skew this canary exists to see.
import { processMessage } from "../enrichment/core";
import type { ReferenceData } from "../enrichment/reference-data";
import { parseRfc3339 } from "../enrichment/timestamps";
import { formatNumeric, parseNumeric } from "../../contracts/numeric";
import type { ExampleRow } from "./discrepancies";

type CuratedColumn = keyof CuratedRow;

/** Columns that record when and by which path a row was written, not what the enrichment computed. */
export const PROVENANCE_COLUMNS: readonly CuratedColumn[] = ["ingest_time", "source", "pipeline_version"];

/** The curated columns the recompute is compared on: every column of the contract but provenance. */
export const RECOMPUTED_COLUMNS: readonly CuratedColumn[] = (Object.keys(curatedCommerceEvents.fields) as CuratedColumn[]).filter((c) => !PROVENANCE_COLUMNS.includes(c));

/** Name of the pseudo-column of a sampled event the recompute rejects where the stream wrote it. */
export const VERDICT_COLUMN = "verdict";

/**
 * One row of sql/parity/recompute_sample.sql: the raw mirror's payload and the curated row, every
 * curated column as text (timestamps RFC 3339 UTC, NUMERIC, DATE, INT64 and BOOL as BigQuery casts them).
 */
export type RecomputeSampleRow = { message_id: string; payload: string | null } & { [C in CuratedColumn]: string | null };

/** One differing column of one sampled event. */
export interface ColumnMismatch {
  eventId: string;
  messageId: string;
  column: string;
  /** The curated (online) value, as text. */
  curated: string | null;
  /** The recomputed (offline) value, as text. */
  recomputed: string | null;
  orderId: string | null;
  storeId: string | null;
  channel: string | null;
}

const TYPES = Object.fromEntries(Object.entries(curatedCommerceEvents.fields).map(([name, f]) => [name, f.type])) as Record<CuratedColumn, string>;

/** A recomputed value as the sample query renders the curated one. */
function asText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === "string" ? v : String(v);
}

/** Equal as values of the column's type: 12.50 = 12.5, one instant in two spellings. */
function sameValue(column: CuratedColumn, a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  if (TYPES[column] === "NUMERIC") {
    const x = parseNumeric(a);
    return x !== null && x === parseNumeric(b);
  }
  // Millisecond precision: what the function's clock and parseRfc3339 resolve.
  if (TYPES[column] === "TIMESTAMP") {
    const x = parseRfc3339(a);
    return x !== null && x === parseRfc3339(b);
  }
  return a === b;
}

/**
 * Re-runs the enrichment core over each sampled message with `ref`, at the row's own ingest_time (so
 * lateness is judged as the stream judged it), and lists every compared column that differs from
 * the curated row. Pure.
 */
export function recomputeMismatches(rows: readonly RecomputeSampleRow[], ref: ReferenceData, opts: { lateThresholdSeconds: number }): ColumnMismatch[] {
  const mismatches: ColumnMismatch[] = [];
  for (const row of rows) {
    const where = { eventId: String(row.event_id), messageId: row.message_id, orderId: row.order_id, storeId: row.store_id, channel: row.channel };
    const ingestMs = row.ingest_time === null ? null : parseRfc3339(row.ingest_time);
    if (ingestMs === null) throw new Error(`recompute sample row of event ${where.eventId} has no readable ingest_time: ${String(row.ingest_time)}`);
    const verdict = processMessage(Buffer.from(row.payload ?? "", "utf8"), ref, ingestMs, { lateThresholdSeconds: opts.lateThresholdSeconds, pipelineVersion: "recompute" });
    if (verdict.kind === "poison") {
      mismatches.push({ ...where, column: VERDICT_COLUMN, curated: "curated", recomputed: `dead-lettered: ${verdict.reason} (${verdict.detail})` });
      continue;
    }
    for (const column of RECOMPUTED_COLUMNS) {
      if (!(column in row)) throw new Error(`recompute sample row lacks curated column ${column}: sql/parity/recompute_sample.sql must select every compared column`);
      const recomputed = asText(verdict.row[column]);
      if (!sameValue(column, row[column], recomputed)) mismatches.push({ ...where, column, curated: row[column], recomputed });
    }
  }
  return mismatches;
}

/** curated - recomputed, for NUMERIC columns whose both values are set. */
function difference(m: ColumnMismatch): string | null {
  if (!(m.column in TYPES) || TYPES[m.column as CuratedColumn] !== "NUMERIC" || m.curated === null || m.recomputed === null) return null;
  const a = parseNumeric(m.curated);
  const b = parseNumeric(m.recomputed);
  return a === null || b === null ? null : formatNumeric(a - b);
}

/** The mismatches as ops.reconciliation_discrepancies rows (kind parity_mismatch): curated on the stream side, recompute on the other. */
export function mismatchExamples(mismatches: readonly ColumnMismatch[]): (ExampleRow & { kind: "parity_mismatch" })[] {
  return mismatches.map((m) => ({
    kind: "parity_mismatch",
    order_id: m.orderId,
    store_id: m.storeId,
    channel: m.channel,
    field: m.column,
    stream_value: m.curated,
    ledger_value: m.recomputed,
    difference: difference(m),
    detail: `event ${m.eventId} (message ${m.messageId}): curated ${m.column} ${m.curated ?? "NULL"}, recomputed from the raw mirror ${m.recomputed ?? "NULL"}`,
  }));
}
