import { formatNumeric, parseNumeric, type Numeric } from "../../contracts/numeric";
import type { DiscrepancyKind, DiscrepancyRow } from "./discrepancies";
import type { SummaryRow } from "./reconcile";

/**
 * Combining the results of a day reconciled as order_id hash shards (discrepancies.sql and
 * summary.sql with @shard_count > 1). Shards hold disjoint orders, so counts and sums add up
 * exactly (NUMERIC sums as bigint 1e-9 units, never through a float) and the day's top-K examples
 * per kind are among the shards' top-K: merged in the query's order and cut to K again.
 */

/** Query parameters selecting shard `shard` of `shardCount` (both INT64 in the SQL). */
export function shardParams(shard: number, shardCount: number) {
  return { shard_count: { type: "INT64", value: shardCount }, shard: { type: "INT64", value: shard } } as const;
}

function numeric(v: string | null, what: string): Numeric | null {
  if (v === null || v === undefined) return null;
  const n = parseNumeric(String(v));
  if (n === null) throw new Error(`${what}: ${JSON.stringify(v)} is not a NUMERIC decimal`);
  return n;
}

/** SQL SUM: NULL when every input is NULL, else the sum of the non-NULL ones. */
function addNullable<T extends number | Numeric>(a: T | null, b: T | null): T | null {
  if (a === null) return b;
  if (b === null) return a;
  return ((a as number) + (b as number)) as T;
}

const compareText = (a: string, b: string) => (a === b ? 0 : Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")));

/** The summary of the whole day from its shards' summaries: one row per dimension value, in the query's order. */
export function combineSummaries(shards: readonly (readonly SummaryRow[])[]): SummaryRow[] {
  if (shards.length === 1) return [...shards[0]];
  type Acc = { row: SummaryRow; stream: Numeric | null; ledger: Numeric | null; streamOrders: number | null; ledgerOrders: number | null; replayed: number | null };
  const byKey = new Map<string, Acc>();
  for (const rows of shards) {
    for (const r of rows) {
      const key = `${r.dimension}\u0000${r.dimension_value}`;
      const what = `summary ${r.dimension}=${r.dimension_value}`;
      const acc = byKey.get(key) ?? { row: r, stream: null, ledger: null, streamOrders: null, ledgerOrders: null, replayed: null };
      acc.stream = addNullable(acc.stream, numeric(r.stream_revenue_usd, `${what} stream_revenue_usd`));
      acc.ledger = addNullable(acc.ledger, numeric(r.ledger_revenue_usd, `${what} ledger_revenue_usd`));
      acc.streamOrders = addNullable(acc.streamOrders, r.stream_orders === null ? null : Number(r.stream_orders));
      acc.ledgerOrders = addNullable(acc.ledgerOrders, r.ledger_orders === null ? null : Number(r.ledger_orders));
      acc.replayed = addNullable(acc.replayed, r.replayed_orders === null || r.replayed_orders === undefined ? null : Number(r.replayed_orders));
      byKey.set(key, acc);
    }
  }
  return [...byKey.values()]
    .map(({ row, stream, ledger, streamOrders, ledgerOrders, replayed }) => ({
      ...row,
      stream_orders: streamOrders,
      ledger_orders: ledgerOrders,
      replayed_orders: replayed,
      stream_revenue_usd: stream === null ? null : formatNumeric(stream),
      ledger_revenue_usd: ledger === null ? null : formatNumeric(ledger),
    }))
    .sort((a, b) => compareText(a.dimension, b.dimension) || compareNullsFirst(a.dimension_value, b.dimension_value));
}

/** Ascending with NULLs first, as BigQuery orders. */
function compareNullsFirst(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return compareText(a, b);
}

function absDifference(r: DiscrepancyRow): Numeric | null {
  const d = numeric(r.difference, `${r.kind} ${r.order_id} difference`);
  return d === null ? null : d < 0n ? -d : d;
}

/**
 * The day's discrepancy rows from its shards' rows: per kind, kind_rows and kind_orders summed over
 * the shards, and at most `topK` examples in discrepancies.sql's order
 * (kind, ABS(difference) DESC, order_id, field).
 */
export function combineDiscrepancies(shards: readonly (readonly DiscrepancyRow[])[], topK: number): DiscrepancyRow[] {
  if (shards.length === 1) return [...shards[0]];
  const totals = new Map<DiscrepancyKind, { rows: number; orders: number }>();
  for (const rows of shards) {
    // Each shard repeats its per-kind totals on every row of the kind: take them once per shard.
    const seen = new Set<DiscrepancyKind>();
    for (const r of rows) {
      if (seen.has(r.kind)) continue;
      seen.add(r.kind);
      const t = totals.get(r.kind) ?? { rows: 0, orders: 0 };
      t.rows += Number(r.kind_rows);
      t.orders += Number(r.kind_orders);
      totals.set(r.kind, t);
    }
  }
  const keyed = shards.flat().map((r) => ({ r, abs: absDifference(r) }));
  keyed.sort((a, b) => {
    if (a.r.kind !== b.r.kind) return compareText(a.r.kind, b.r.kind);
    if (a.abs !== b.abs) {
      if (a.abs === null) return 1; // DESC: NULLs last
      if (b.abs === null) return -1;
      return a.abs > b.abs ? -1 : 1;
    }
    return compareText(a.r.order_id, b.r.order_id) || compareNullsFirst(a.r.field, b.r.field);
  });
  const taken = new Map<DiscrepancyKind, number>();
  const out: DiscrepancyRow[] = [];
  for (const { r } of keyed) {
    const n = taken.get(r.kind) ?? 0;
    taken.set(r.kind, n + 1);
    if (n >= topK) continue;
    const t = totals.get(r.kind)!;
    out.push({ ...r, kind_rows: t.rows, kind_orders: t.orders });
  }
  return out;
}

/** What combineLostEvents reads of a row of sql/parity/lost_in_enrichment.sql. */
export interface LostEventShardRow {
  message_id: string;
  /** UNIX_MICROS(publish_time): INT64, a number or a decimal string. */
  publish_micros: number | string;
  lost_events: number | string;
}

/**
 * The day's lost events from its event-key hash shards (lost_in_enrichment.sql with @shard_count > 1):
 * every publish of an event falls in its event's shard, so the shards' counts add up, and the day's
 * top-K oldest are among the shards' top-K: merged in the query's order (publish_time, message_id)
 * and cut to K again, each carrying the day's count.
 */
export function combineLostEvents<T extends LostEventShardRow>(shards: readonly (readonly T[])[], topK: number): T[] {
  if (shards.length === 1) return [...shards[0]];
  // Each shard repeats its count on every row: take it once per shard.
  const total = shards.reduce((n, rows) => n + (rows.length === 0 ? 0 : Number(rows[0].lost_events)), 0);
  const keyed = shards.flat().map((row) => ({ row, micros: BigInt(String(row.publish_micros)) }));
  keyed.sort((a, b) => (a.micros === b.micros ? compareText(a.row.message_id, b.row.message_id) : a.micros < b.micros ? -1 : 1));
  return keyed.slice(0, topK).map(({ row }) => ({ ...row, lost_events: total }));
}
