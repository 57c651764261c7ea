import type { CommerceEvent, LedgerOrderRow } from "../../contracts";
import { localDate } from "../../config/calendar-date";
import { formatNumeric, multiplyNumeric, numericFromInteger, parseNumeric } from "../../contracts/numeric";
import type { DayDraft } from "./day-draft";
import type { StoreSpec } from "./reference-data";

const HOUR_MS = 3_600_000;

/** The ledger's row for an order event: USD amount at the latest rate on or before the store-local order date. */
export function ledgerRow(day: DayDraft, event: CommerceEvent, store: StoreSpec, quantity: number, status: "placed" | "cancelled"): LedgerOrderRow {
  const orderDate = localDate(Date.parse(event.occurred_at), store.time_zone);
  const rate = day.reference.fxRates.filter((r) => r.currency === store.currency && r.rate_date <= orderDate).sort((a, b) => (a.rate_date < b.rate_date ? 1 : -1))[0];
  const amount = multiplyNumeric(multiplyNumeric(numericFromInteger(quantity), parseNumeric(event.unit_price!)!), parseNumeric(String(rate.usd_per_unit))!);
  return {
    order_id: event.order_id!,
    order_date: orderDate,
    placed_at: event.occurred_at,
    store_id: store.store_id,
    channel: store.channel,
    user_id: event.user_id ?? null,
    sku: event.sku!,
    quantity,
    unit_price: event.unit_price!,
    currency: store.currency,
    amount_usd: formatNumeric(amount),
    status,
    // Exported a day and more after streaming starts: after every order the day streams.
    exported_at: new Date(day.options.startMs + 26 * HOUR_MS).toISOString(),
  };
}
