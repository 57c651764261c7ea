import { DISCREPANCY_KINDS } from "../../contracts/tables";

export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];

/** One row of sql/reconciliation/discrepancies.sql. */
export interface DiscrepancyRow {
  kind: DiscrepancyKind;
  order_id: string;
  store_id: string | null;
  channel: string | null;
  field: string | null;
  stream_value: string | null;
  ledger_value: string | null;
  /** NUMERIC as a decimal string. */
  difference: string | null;
  detail: string | null;
  /** Rows of this kind before the top-K cut. */
  kind_rows: number;
  /** Distinct orders of this kind before the top-K cut. */
  kind_orders: number;
}

export type KindCounts = Record<DiscrepancyKind, number>;

/** Orders per kind; a kind with no row counts 0. */
export function countsByKind(rows: readonly DiscrepancyRow[]): KindCounts {
  const counts = Object.fromEntries(DISCREPANCY_KINDS.map((k) => [k, 0])) as KindCounts;
  for (const r of rows) counts[r.kind] = Math.max(counts[r.kind], Number(r.kind_orders));
  return counts;
}

/**
 * At most `topK` example rows per kind, in the order the query ranked them (largest difference
 * first). The query already cuts at @top_k; this holds the written rows to the configured K even if
 * the query is run with a larger one.
 */
export function topKPerKind(rows: readonly DiscrepancyRow[], topK: number): DiscrepancyRow[] {
  const taken = new Map<DiscrepancyKind, number>();
  return rows.filter((r) => {
    const n = taken.get(r.kind) ?? 0;
    taken.set(r.kind, n + 1);
    return n < topK;
  });
}

/** A row of ops.reconciliation_discrepancies to write: an order discrepancy or a parity canary's finding. */
export type ExampleRow = Omit<DiscrepancyRow, "kind" | "order_id" | "kind_rows" | "kind_orders"> & { kind: string; order_id: string | null };

/** The examples as record_discrepancies.sql takes them: one JSON array, NUMERIC as decimal strings. */
export function examplesJson(rows: readonly ExampleRow[]): string {
  return JSON.stringify(
    rows.map((r) => ({
      kind: r.kind,
      order_id: r.order_id,
      store_id: r.store_id,
      channel: r.channel,
      field: r.field,
      stream_value: r.stream_value,
      ledger_value: r.ledger_value,
      difference: r.difference,
      detail: r.detail,
    })),
  );
}
