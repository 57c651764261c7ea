import { DISCREPANCY_KINDS, type LedgerOrderRow } from "../../contracts";
import { localDate } from "../../config/calendar-date";
import { publishedAfterClose } from "./day-close";
import type { DiscrepancyKind, OrderDrift } from "./injected-kinds";
import { plannedEventFields, type PlannedMessage } from "./planned-message";
import { STORES } from "./reference-data";

/** The business day most ledger rows fall on: the one the night's reconciliation compares. */
export function mostCommonOrderDate(ledger: readonly LedgerOrderRow[]): string {
  const counts = new Map<string, number>();
  for (const r of ledger) counts.set(r.order_date, (counts.get(r.order_date) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? "";
}

/** Orders the reconciliation of runDate must report, by discrepancy kind. */
export function expectedDiscrepancies(
  messages: readonly PlannedMessage[],
  ledger: readonly LedgerOrderRow[],
  orderDrift: ReadonlyMap<string, OrderDrift>,
  startMs: number,
  runDate: string,
): Record<DiscrepancyKind, number> {
  const expected = Object.fromEntries(DISCREPANCY_KINDS.map((k) => [k, 0])) as Record<DiscrepancyKind, number>;
  const orderDates = new Map<string, string>();
  for (const m of messages) {
    if (m.eventType !== "order.placed") continue;
    const e = plannedEventFields(m);
    if (e.order_id) orderDates.set(e.order_id.string, storeLocalDate(e.occurred_at, e.store_id));
  }
  for (const r of ledger) orderDates.set(r.order_id, r.order_date);
  for (const [orderId, drift] of orderDrift) if (orderDates.get(orderId) === runDate) expected[drift]++;
  expected.late_arrival = plannedLateArrivals(messages, startMs, runDate, ledger);
  return expected;
}

/**
 * Orders of runDate the stream delivers after the store's day closed (within the allowance: the
 * generator's late events trail by at most 5 h), from the publish plan: the first fresh publish of
 * each order, not cancelled (a cancelled order is on neither side), not poison.
 */
function plannedLateArrivals(messages: readonly PlannedMessage[], startMs: number, runDate: string, ledger: readonly LedgerOrderRow[]): number {
  const cancelled = new Set(ledger.filter((r) => r.status === "cancelled").map((r) => r.order_id));
  const seen = new Set<string>();
  let late = 0;
  for (const m of messages) {
    if (m.eventType !== "order.placed" || m.role !== "event") continue;
    const e = plannedEventFields(m);
    const orderId = e.order_id?.string;
    if (!orderId || seen.has(orderId)) continue;
    seen.add(orderId);
    const timeZone = storeOf(e.store_id).time_zone;
    const orderDate = localDate(Date.parse(e.occurred_at), timeZone);
    if (orderDate === runDate && !cancelled.has(orderId) && publishedAfterClose(startMs + m.atMs, orderDate, timeZone)) late++;
  }
  return late;
}

function storeOf(storeId: string) {
  return STORES.find((s) => s.store_id === storeId)!;
}

function storeLocalDate(iso: string, storeId: string): string {
  return localDate(Date.parse(iso), storeOf(storeId).time_zone);
}
