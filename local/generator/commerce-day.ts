import {
  DISCREPANCY_KINDS,
  commerceEventFields,
  toAvroJson,
  type CommerceEvent,
  type EventType,
  type LedgerOrderRow,
} from "../../contracts";
import { addDays, localDate } from "../../config/calendar-date";
import { formatNumeric, multiplyNumeric, numericFromInteger, parseNumeric } from "../../contracts/numeric";
import { nearDayClose, publishedAfterClose } from "./day-close";
import { SeededRandom } from "./random";
import { HOT_STORE_ID, STORES, generateReferenceData, localPrice, type ReferenceData, type StoreSpec } from "./reference-data";

export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];

/** Everything the generator deliberately puts into a day, so the report can be checked against it. */
export const INJECTED_KINDS = [
  /** Same message published twice (a publisher retry): the function must drop the second. */
  "duplicate",
  /** Avro-valid but contract-invalid: the function must dead-letter it with a reason. */
  "poison",
  /** occurred_at hours before publish (an offline till catching up): flagged is_late. */
  "late",
  /** Events of the flagship store (a hot key). */
  "hot_store",
  /** SKU missing from ref.products: curated with enrichment_status unknown_sku, not poison. */
  "unknown_sku",
  /** Placed and later cancelled on both sides: no drift. */
  "cancelled_order",
  /** In the ledger, never streamed. */
  "missing_in_stream",
  /** Streamed, not in the ledger. */
  "extra_in_stream",
  /** Streamed with a quantity that differs from the ledger's. */
  "amount_mismatch",
  /** order.placed published again under a new event_id (the dedup view cannot remove it). */
  "duplicate_in_stream",
  /** In the ledger, streamed as a poison message: missing, but the dead-letter path explains it. */
  "explained_by_dlq",
] as const;
export type InjectedKind = (typeof INJECTED_KINDS)[number];

export type PoisonKind = "order_currency_lowercase" | "unknown_event_type" | "missing_conditional_field" | "unparseable_timestamp" | "invalid_event_id";
const POISON_KINDS: readonly Exclude<PoisonKind, "order_currency_lowercase">[] = [
  "unknown_event_type",
  "missing_conditional_field",
  "unparseable_timestamp",
  "invalid_event_id",
];

/** One message to publish to commerce-events. */
export interface PlannedMessage {
  /** When to publish it, in ms after the start of streaming. */
  atMs: number;
  /** Avro JSON encoding of the event, as the topic's schema requires. */
  data: string;
  attributes: Record<string, string>;
  eventId: string;
  eventType: string;
  /** What the generator made it: a fresh event, a duplicate, or poison of some kind. */
  role: "event" | "duplicate" | "poison";
  poisonKind?: PoisonKind;
  /** For a duplicate: an exact re-send, re-stamped onto another store-local day, or a different payload. */
  duplicateKind?: DuplicateKind;
}

/** exact: the same bytes again; restamped: a publisher retry that re-stamped occurred_at across the store's local midnight; conflicting: same event_id, other payload. */
export type DuplicateKind = "exact" | "restamped" | "conflicting";

export interface CommerceDayOptions {
  /** Same seed, same events, ledger and reference data (timestamps move with startMs). */
  seed: number;
  /** Messages to publish, duplicates and poison included. */
  events: number;
  /** Publish rate, messages per second: spaces the planned publish times. */
  ratePerSecond: number;
  /** Epoch ms when streaming starts: message i is due at startMs + atMs, and event times derive from it. */
  startMs: number;
  /** Share of messages that are duplicates. Default: 0.01. */
  duplicateShare?: number;
  /** Of the duplicates, the shares re-stamped across local midnight and with a conflicting payload (the rest are exact). Default: none. */
  duplicateVariants?: { restamped: number; conflicting: number };
  /** Share of messages that are poison. Default: 0.005. */
  poisonShare?: number;
  /** Share of events that arrive hours late (kept under 1% so p99 freshness shows the pipeline, not the late tail). Default: 0.005. */
  lateShare?: number;
  /** Share of in-store events at the flagship store. Default: 0.35. */
  hotStoreShare?: number;
  /** Per injected kind of order drift, the share of orders it hits. Default: 0.005. */
  orderDriftShare?: number;
}

export interface CommerceDay {
  /** Epoch ms streaming starts; messages are due at startMs + atMs. */
  startMs: number;
  /** The business day the ledger export covers and the night's reconciliation compares. */
  runDate: string;
  messages: PlannedMessage[];
  /** ledger.orders rows for every order (all business days the stream touched). */
  ledger: LedgerOrderRow[];
  reference: ReferenceData;
  /** What was injected, by kind (whole day, all business dates). */
  injected: Record<InjectedKind, number>;
  /** Orders the reconciliation of runDate must report, by discrepancy kind. */
  expectedDiscrepancies: Record<DiscrepancyKind, number>;
  /** event_id of every poison message: each must be in ops.dead_letters with a reason. */
  poisonEventIds: string[];
}

const EVENT_MIX: Record<EventType, number> = {
  "cart.item_added": 44,
  "cart.item_removed": 10,
  "order.placed": 22,
  "order.cancelled": 0, // only as the follow-up of a placed order
  "inventory.adjusted": 14,
  "price.changed": 10,
};
const CHANNEL_MIX = { store: 40, web: 38, app: 22 } as const;
const HOUR_MS = 3_600_000;

type OrderDrift = "missing_in_stream" | "extra_in_stream" | "amount_mismatch" | "duplicate_in_stream" | "explained_by_dlq";

interface Pending {
  due: number;
  make: (atMs: number) => PlannedMessage;
}

/** A seeded, realistic day of commerce events with known injected faults, plus its ledger and reference data. */
export function generateCommerceDay(opts: CommerceDayOptions): CommerceDay {
  const rng = new SeededRandom(opts.seed);
  const o = {
    duplicateShare: 0.01,
    poisonShare: 0.005,
    lateShare: 0.005,
    hotStoreShare: 0.35,
    orderDriftShare: 0.005,
    ...opts,
  };
  const spacingMs = 1000 / o.ratePerSecond;
  const reference = referenceDataFor(o.seed, o.startMs);
  const products = reference.products;
  const injected = Object.fromEntries(INJECTED_KINDS.map((k) => [k, 0])) as Record<InjectedKind, number>;
  const messages: PlannedMessage[] = [];
  const ledger: LedgerOrderRow[] = [];
  const orderDrift = new Map<string, OrderDrift>();
  const poisonEventIds: string[] = [];
  const pending: Pending[] = [];
  /** Slots of fresh valid events, oldest first: what a duplicate may copy. */
  const eventSlots: number[] = [];
  /** How many of eventSlots are old enough to be re-sent (the cutoff only moves forward). */
  let retryableCount = 0;
  let eventSeq = 0;
  let orderSeq = 0;

  const total = o.events;
  let duplicatesLeft = Math.round(total * o.duplicateShare);
  let poisonLeft = Math.round(total * o.poisonShare);
  const stores = STORES.filter((s) => s.channel === "store");
  const newEventId = () => `evt-${o.seed}-${(++eventSeq).toString(36).padStart(6, "0")}`;

  const pickStore = (): StoreSpec => {
    const channel = rng.weighted(CHANNEL_MIX);
    if (channel !== "store") return rng.pick(STORES.filter((s) => s.channel === channel));
    return rng.chance(o.hotStoreShare) ? stores.find((s) => s.store_id === HOT_STORE_ID)! : rng.pick(stores);
  };

  /** occurred_at for an event published at atMs: a short source delay, or hours for a late one. */
  const occurredAt = (atMs: number, store: StoreSpec, late: boolean): string => {
    const sourceDelayMs = late ? rng.int(1.5 * HOUR_MS, 5 * HOUR_MS) : store.channel === "store" ? rng.int(300, 3000) : rng.int(20, 400);
    return new Date(o.startMs + atMs - sourceDelayMs).toISOString();
  };

  const wire = (event: CommerceEvent, atMs: number, role: PlannedMessage["role"], poisonKind?: PoisonKind): PlannedMessage => ({
    atMs,
    data: JSON.stringify(toAvroJson(commerceEventFields, event as unknown as Record<string, unknown>)),
    attributes: { event_type: String(event.event_type), source: event.channel === "store" ? "pos" : event.channel },
    eventId: event.event_id,
    eventType: String(event.event_type),
    role,
    ...(poisonKind ? { poisonKind } : {}),
  });

  const ledgerRow = (event: CommerceEvent, store: StoreSpec, quantity: number, status: "placed" | "cancelled"): LedgerOrderRow => {
    const rate = reference.fxRates
      .filter((r) => r.currency === store.currency && r.rate_date <= localDate(Date.parse(event.occurred_at), store.time_zone))
      .sort((a, b) => (a.rate_date < b.rate_date ? 1 : -1))[0];
    const amount = multiplyNumeric(multiplyNumeric(numericFromInteger(quantity), parseNumeric(event.unit_price!)!), parseNumeric(String(rate.usd_per_unit))!);
    return {
      order_id: event.order_id!,
      order_date: localDate(Date.parse(event.occurred_at), store.time_zone),
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
      exported_at: new Date(o.startMs + 26 * HOUR_MS).toISOString(),
    };
  };

  const baseEvent = (type: EventType, store: StoreSpec, atMs: number, late: boolean): CommerceEvent => {
    const product = rng.pick(products);
    const online = store.channel !== "store";
    const user = online ? (rng.chance(0.8) ? `u-${rng.int(1, 4000)}` : null) : rng.chance(0.3) ? `u-${rng.int(1, 4000)}` : null;
    const event: CommerceEvent = {
      event_id: newEventId(),
      event_type: type,
      occurred_at: occurredAt(atMs, store, late),
      user_id: type === "inventory.adjusted" || type === "price.changed" ? null : user,
      session_id: online && type.startsWith("cart") ? `s-${rng.hex(12)}` : null,
      store_id: store.store_id,
      channel: store.channel,
      sku: product.sku,
      quantity: null,
      unit_price: null,
      currency: null,
      order_id: null,
      attributes: rng.chance(0.3) ? { campaign: rng.pick(["spring-sale", "newsletter", "loyalty", "retargeting"]) } : null,
    };
    if (type === "cart.item_added" || type === "cart.item_removed") event.quantity = rng.int(1, 3);
    if (type === "inventory.adjusted") event.quantity = rng.chance(0.7) ? rng.int(1, 40) : -rng.int(1, 10);
    if (type === "price.changed") {
      event.unit_price = localPrice(product, store.currency);
      event.currency = store.currency;
    }
    if (type === "order.placed") {
      event.order_id = `ord-${o.seed}-${(++orderSeq).toString(36).padStart(5, "0")}`;
      event.quantity = rng.int(1, 4);
      event.unit_price = localPrice(product, store.currency);
      event.currency = store.currency;
    }
    return event;
  };

  const poisonMessage = (atMs: number): PlannedMessage => {
    const store = pickStore();
    const kind = rng.pick(POISON_KINDS);
    const event = baseEvent("cart.item_added", store, atMs, false);
    const bad = event as unknown as Record<string, unknown>;
    if (kind === "unknown_event_type") bad.event_type = "cart.item_teleported";
    if (kind === "missing_conditional_field") bad.sku = null;
    if (kind === "unparseable_timestamp") bad.occurred_at = "yesterday at noon";
    if (kind === "invalid_event_id") bad.event_id = `evt ${o.seed} with spaces ${eventSeq}`;
    poisonEventIds.push(String(bad.event_id));
    injected.poison++;
    return wire(event, atMs, "poison", kind);
  };

  /** A new order; may carry one kind of drift or be cancelled later. Returns undefined when it is never streamed. */
  const orderMessage = (atMs: number, store: StoreSpec, late: boolean, slot: number): PlannedMessage | undefined => {
    const event = baseEvent("order.placed", store, atMs, late);
    const drift: OrderDrift | undefined = rng.chance(o.orderDriftShare * 5)
      ? rng.pick(["missing_in_stream", "extra_in_stream", "amount_mismatch", "duplicate_in_stream", "explained_by_dlq"] as const)
      : undefined;
    const followUp = slot + rng.int(20, 200);
    if (drift) {
      orderDrift.set(event.order_id!, drift);
      injected[drift]++;
    }
    switch (drift) {
      case "missing_in_stream":
        ledger.push(ledgerRow(event, store, event.quantity!, "placed"));
        return undefined;
      case "extra_in_stream":
        return wire(event, atMs, "event");
      case "amount_mismatch":
        ledger.push(ledgerRow(event, store, event.quantity! + 1, "placed"));
        return wire(event, atMs, "event");
      case "duplicate_in_stream":
        ledger.push(ledgerRow(event, store, event.quantity!, "placed"));
        if (followUp < total) pending.push({ due: followUp, make: (at) => wire({ ...event, event_id: newEventId() }, at, "event") });
        else {
          orderDrift.delete(event.order_id!);
          injected.duplicate_in_stream--;
        }
        return wire(event, atMs, "event");
      case "explained_by_dlq": {
        ledger.push(ledgerRow(event, store, event.quantity!, "placed"));
        if (poisonLeft > 0) poisonLeft--;
        poisonEventIds.push(event.event_id);
        injected.poison++;
        return wire({ ...event, currency: event.currency!.toLowerCase() }, atMs, "poison", "order_currency_lowercase");
      }
      default: {
        const cancel = followUp < total && rng.chance(0.03);
        ledger.push(ledgerRow(event, store, event.quantity!, cancel ? "cancelled" : "placed"));
        if (cancel) {
          injected.cancelled_order++;
          pending.push({
            due: followUp,
            make: (at) =>
              wire(
                {
                  ...baseEvent("order.cancelled", store, at, false),
                  // Cancelled on the same business day as placed, so both sides agree on the day.
                  occurred_at: sameLocalDayAfter(event.occurred_at, at - atMs, store.time_zone),
                  order_id: event.order_id,
                  sku: null,
                  quantity: null,
                  unit_price: null,
                  currency: null,
                },
                at,
                "event",
              ),
          });
        }
        return wire(event, atMs, "event");
      }
    }
  };

  while (messages.length < total) {
    const slot = messages.length;
    const atMs = slot * spacingMs;
    const remaining = total - slot;
    const dueIndex = pending.findIndex((p) => p.due <= slot);
    if (dueIndex >= 0) {
      messages.push(pending.splice(dueIndex, 1)[0].make(atMs));
      continue;
    }
    if (poisonLeft > 0 && rng.chance(poisonLeft / remaining)) {
      poisonLeft--;
      messages.push(poisonMessage(atMs));
      continue;
    }
    // A publisher retry re-sends a message well after the first send, so the first is written by then.
    const cutoff = slot - Math.min(200, Math.floor(slot / 2));
    while (retryableCount < eventSlots.length && eventSlots[retryableCount] <= cutoff) retryableCount++;
    const retryable = eventSlots.slice(Math.max(0, retryableCount - 400), retryableCount);
    if (duplicatesLeft > 0 && retryable.length > 0 && rng.chance(duplicatesLeft / remaining)) {
      duplicatesLeft--;
      const original = messages[rng.pick(retryable)];
      messages.push({ ...original, ...duplicateVariant(original), atMs, role: "duplicate" });
      injected.duplicate++;
      continue;
    }
    const store = pickStore();
    const late = rng.chance(o.lateShare);
    const drawn = rng.weighted(EVENT_MIX);
    // An order is never planned right before its store's day closes (day-close.ts): late or not, decided here.
    const type = drawn === "order.placed" && nearDayClose(o.startMs + atMs, store.time_zone) ? "cart.item_added" : drawn;
    const message = type === "order.placed" ? orderMessage(atMs, store, late, slot) : wire(withUnknownSku(baseEvent(type, store, atMs, late)), atMs, "event");
    if (!message) continue;
    if (message.role === "event") eventSlots.push(messages.length);
    if (late && message.role === "event") injected.late++;
    if (store.store_id === HOT_STORE_ID) injected.hot_store++;
    messages.push(message);
  }

  /** Draws only when variants are asked for, so days without them stay as they were for a seed. */
  function duplicateVariant(original: PlannedMessage): Pick<PlannedMessage, "data" | "duplicateKind"> {
    const v = o.duplicateVariants;
    if (!v) return { data: original.data, duplicateKind: "exact" };
    const draw = rng.next();
    const event = JSON.parse(original.data) as Record<string, unknown> & { occurred_at: string; store_id: string };
    if (draw < v.restamped) {
      const store = STORES.find((s) => s.store_id === event.store_id)!;
      return { data: JSON.stringify({ ...event, occurred_at: lastInstantOfPreviousLocalDay(event.occurred_at, store.time_zone) }), duplicateKind: "restamped" };
    }
    if (draw < v.restamped + v.conflicting) {
      return { data: JSON.stringify({ ...event, attributes: { map: { retry_variant: `copy-${rng.hex(6)}` } } }), duplicateKind: "conflicting" };
    }
    return { data: original.data, duplicateKind: "exact" };
  }

  function withUnknownSku(event: CommerceEvent): CommerceEvent {
    if (event.event_type !== "cart.item_added" || !rng.chance(0.01)) return event;
    injected.unknown_sku++;
    return { ...event, sku: `SKU-DISCONTINUED-${rng.int(1, 99)}` };
  }

  const runDate = mostCommon(ledger.map((r) => r.order_date));
  const expectedDiscrepancies = Object.fromEntries(DISCREPANCY_KINDS.map((k) => [k, 0])) as Record<DiscrepancyKind, number>;
  const orderDates = new Map<string, string>();
  for (const m of messages) {
    if (m.eventType !== "order.placed") continue;
    const e = JSON.parse(m.data) as { order_id: { string: string } | null; store_id: string; occurred_at: string };
    const store = STORES.find((s) => s.store_id === e.store_id)!;
    if (e.order_id) orderDates.set(e.order_id.string, localDate(Date.parse(e.occurred_at), store.time_zone));
  }
  for (const r of ledger) orderDates.set(r.order_id, r.order_date);
  for (const [orderId, drift] of orderDrift) if (orderDates.get(orderId) === runDate) expectedDiscrepancies[drift]++;
  expectedDiscrepancies.late_arrival = plannedLateArrivals(messages, o.startMs, runDate, ledger);

  return { startMs: o.startMs, runDate, messages, ledger, reference, injected, expectedDiscrepancies, poisonEventIds };
}

/** The reference data a day starting at startMs is generated against (load it before the functions start). */
export function referenceDataFor(seed: number, startMs: number): ReferenceData {
  const startDate = new Date(startMs).toISOString().slice(0, 10);
  // FX rates around the day: late events and stores east of UTC touch the neighbouring dates.
  const rateDates = [-2, -1, 0, 1].map((d) => addDays(startDate, d));
  const updatedAt = new Date(Date.parse(startDate) - 30 * 24 * HOUR_MS).toISOString();
  return generateReferenceData(seed, rateDates, updatedAt);
}

/** One second before the store-local midnight that starts the day of `iso`: the previous local date. */
function lastInstantOfPreviousLocalDay(iso: string, timeZone: string): string {
  const ms = Date.parse(iso);
  const day = localDate(ms, timeZone);
  // Back by the hour into the previous day, then forward by the minute (zone offsets are whole minutes) to its last minute.
  let t = ms - (ms % 60_000);
  while (localDate(t, timeZone) === day) t -= HOUR_MS;
  while (localDate(t + 60_000, timeZone) !== day) t += 60_000;
  return new Date(t + 59_000).toISOString();
}

function sameLocalDayAfter(iso: string, deltaMs: number, timeZone: string): string {
  const later = Date.parse(iso) + deltaMs;
  return localDate(later, timeZone) === localDate(Date.parse(iso), timeZone) ? new Date(later).toISOString() : iso;
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
    const e = JSON.parse(m.data) as { order_id: { string: string } | null; store_id: string; occurred_at: string };
    const orderId = e.order_id?.string;
    if (!orderId || seen.has(orderId)) continue;
    seen.add(orderId);
    const store = STORES.find((s) => s.store_id === e.store_id)!;
    const orderDate = localDate(Date.parse(e.occurred_at), store.time_zone);
    if (orderDate === runDate && !cancelled.has(orderId) && publishedAfterClose(startMs + m.atMs, orderDate, store.time_zone)) late++;
  }
  return late;
}

function mostCommon(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? "";
}
