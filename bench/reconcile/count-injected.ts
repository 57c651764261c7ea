import { dayCloseInstant } from "../../config/calendar-date";
import type { DiscrepancyKind } from "../../functions/reconciliation/discrepancies";
import type { Row } from "../../functions/runtime/warehouse";

/** USD decimal string with at most 2 decimals ("12.3", "7") -> integer cents. */
const cents = (usd: unknown): number => {
  const [whole, frac = ""] = String(usd).split(".");
  return Number(whole) * 100 + Number(frac.padEnd(2, "0").slice(0, 2)) * (String(usd).startsWith("-") ? -1 : 1);
};

/**
 * The discrepancies a generated day holds, counted from its rows (not from the plan it was asked
 * for), per kind, with the rules of sql/reconciliation/discrepancies.sql: the answer the bench
 * holds the reconciliation to. The bench's day has placed orders only, no cancellations, no dead
 * letters, and every stream row inside the late allowance.
 */
export function countInjected(curated: readonly Row[], ledger: readonly Row[], runDate: string, amountToleranceUsd: number): Record<DiscrepancyKind, number> {
  const byOrder = new Map<string, Row[]>();
  for (const r of curated) byOrder.set(String(r.order_id), [...(byOrder.get(String(r.order_id)) ?? []), r]);
  const ledgerById = new Map(ledger.filter((r) => r.order_date === runDate && r.status === "placed").map((r) => [String(r.order_id), r]));
  const toleranceCents = amountToleranceUsd * 100;
  const counts: Record<DiscrepancyKind, number> = { missing_in_stream: 0, extra_in_stream: 0, duplicate_in_stream: 0, amount_mismatch: 0, late_arrival: 0, explained_by_dlq: 0 };
  for (const id of ledgerById.keys()) if (!byOrder.has(id)) counts.missing_in_stream++;
  for (const [id, rows] of byOrder) {
    if (rows.length > 1) counts.duplicate_in_stream++;
    const first = [...rows].sort((a, b) => String(a.ingest_time).localeCompare(String(b.ingest_time)))[0];
    if (Date.parse(String(first.ingest_time)) >= dayCloseInstant(runDate, String(first.store_time_zone)).getTime()) counts.late_arrival++;
    const booked = ledgerById.get(id);
    if (!booked) counts.extra_in_stream++;
    else if (Math.abs(cents(first.revenue_usd) - cents(booked.amount_usd)) > toleranceCents) counts.amount_mismatch++;
  }
  return counts;
}

/** The kinds whose found count differs from the injected one (equal totals can hide two wrong kinds). */
export function mismatchedKinds(found: Record<DiscrepancyKind, number>, injected: Record<DiscrepancyKind, number>): DiscrepancyKind[] {
  return (Object.keys(injected) as DiscrepancyKind[]).filter((k) => found[k] !== injected[k]);
}
