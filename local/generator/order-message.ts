import type { CommerceEvent } from "../../contracts";
import type { DayDraft } from "./day-draft";
import { freshEvent, newEventId } from "./fresh-event";
import { ORDER_DRIFTS, type OrderDrift } from "./injected-kinds";
import { ledgerRow } from "./ledger-row";
import { sameLocalDayAfter } from "./local-day-instants";
import { plannedMessage, type PlannedMessage } from "./planned-message";
import type { StoreSpec } from "./reference-data";

/** A new order and its ledger row; may carry one kind of drift or be cancelled later. Returns undefined when it is never streamed. */
export function orderMessage(day: DayDraft, atMs: number, store: StoreSpec, late: boolean, slot: number): PlannedMessage | undefined {
  const { rng, ledger, injected } = day;
  const total = day.options.events;
  const event = freshEvent(day, "order.placed", store, atMs, late);
  const drift: OrderDrift | undefined = rng.chance(day.options.orderDriftShare * 5) ? rng.pick(ORDER_DRIFTS) : undefined;
  const followUp = slot + rng.int(20, 200);
  if (drift) {
    day.orderDrift.set(event.order_id!, drift);
    injected[drift]++;
  }
  switch (drift) {
    case "missing_in_stream":
      ledger.push(ledgerRow(day, event, store, event.quantity!, "placed"));
      return undefined;
    case "extra_in_stream":
      return plannedMessage(event, atMs, "event");
    case "amount_mismatch":
      ledger.push(ledgerRow(day, event, store, event.quantity! + 1, "placed"));
      return plannedMessage(event, atMs, "event");
    case "duplicate_in_stream":
      ledger.push(ledgerRow(day, event, store, event.quantity!, "placed"));
      if (followUp < total) day.pending.push({ due: followUp, make: (at) => plannedMessage({ ...event, event_id: newEventId(day) }, at, "event") });
      else {
        day.orderDrift.delete(event.order_id!);
        injected.duplicate_in_stream--;
      }
      return plannedMessage(event, atMs, "event");
    case "explained_by_dlq": {
      ledger.push(ledgerRow(day, event, store, event.quantity!, "placed"));
      if (day.poisonLeft > 0) day.poisonLeft--;
      day.poisonEventIds.push(event.event_id);
      injected.poison++;
      return plannedMessage({ ...event, currency: event.currency!.toLowerCase() }, atMs, "poison", "order_currency_lowercase");
    }
    default: {
      const cancel = followUp < total && rng.chance(0.03);
      ledger.push(ledgerRow(day, event, store, event.quantity!, cancel ? "cancelled" : "placed"));
      if (cancel) {
        injected.cancelled_order++;
        day.pending.push({ due: followUp, make: (at) => plannedMessage(cancellation(day, event, store, atMs, at), at, "event") });
      }
      return plannedMessage(event, atMs, "event");
    }
  }
}

function cancellation(day: DayDraft, placed: CommerceEvent, store: StoreSpec, placedAtMs: number, atMs: number): CommerceEvent {
  return {
    ...freshEvent(day, "order.cancelled", store, atMs, false),
    // Cancelled on the same business day as placed, so both sides agree on the day.
    occurred_at: sameLocalDayAfter(placed.occurred_at, atMs - placedAtMs, store.time_zone),
    order_id: placed.order_id,
    sku: null,
    quantity: null,
    unit_price: null,
    currency: null,
  };
}
