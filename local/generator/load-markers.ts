import type { LedgerLoadMarkerRow, LedgerOrderRow } from "../../contracts";

/**
 * What the exporting job writes as its last step: one ledger.load_markers row per order_date it
 * exported, announcing how many ledger.orders rows of that date it wrote.
 */
export function loadMarkersFor(ledger: readonly Pick<LedgerOrderRow, "order_date">[], loadedAt: string, exportId: string): LedgerLoadMarkerRow[] {
  const counts = new Map<string, number>();
  for (const r of ledger) counts.set(r.order_date, (counts.get(r.order_date) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([order_date, expected_rows]) => ({ order_date, expected_rows, loaded_at: loadedAt, export_id: exportId }));
}
