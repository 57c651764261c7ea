import type { CommerceEvent, EventType } from "../../contracts";
import type { DayDraft } from "./day-draft";
import { HOT_STORE_ID, STORES, localPrice, type StoreSpec } from "./reference-data";

const CHANNEL_MIX = { store: 40, web: 38, app: 22 } as const;
const PHYSICAL_STORES = STORES.filter((s) => s.channel === "store");
const HOUR_MS = 3_600_000;

export function newEventId(day: DayDraft): string {
  return `evt-${day.options.seed}-${(++day.eventSeq).toString(36).padStart(6, "0")}`;
}

/** A store by channel mix; in-store traffic leans on the flagship (a hot key). */
export function pickStore(day: DayDraft): StoreSpec {
  const { rng } = day;
  const channel = rng.weighted(CHANNEL_MIX);
  if (channel !== "store") return rng.pick(STORES.filter((s) => s.channel === channel));
  return rng.chance(day.options.hotStoreShare) ? PHYSICAL_STORES.find((s) => s.store_id === HOT_STORE_ID)! : rng.pick(PHYSICAL_STORES);
}

/** occurred_at for an event published at atMs: a short source delay, or hours for a late one. */
function occurredAt(day: DayDraft, atMs: number, store: StoreSpec, late: boolean): string {
  const { rng } = day;
  const sourceDelayMs = late ? rng.int(1.5 * HOUR_MS, 5 * HOUR_MS) : store.channel === "store" ? rng.int(300, 3000) : rng.int(20, 400);
  return new Date(day.options.startMs + atMs - sourceDelayMs).toISOString();
}

/** A valid event of the given type at a store, with the fields its type requires. */
export function freshEvent(day: DayDraft, type: EventType, store: StoreSpec, atMs: number, late: boolean): CommerceEvent {
  const { rng } = day;
  const product = rng.pick(day.reference.products);
  const online = store.channel !== "store";
  const user = online ? (rng.chance(0.8) ? `u-${rng.int(1, 4000)}` : null) : rng.chance(0.3) ? `u-${rng.int(1, 4000)}` : null;
  const event: CommerceEvent = {
    event_id: newEventId(day),
    event_type: type,
    occurred_at: occurredAt(day, atMs, store, late),
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
    event.order_id = `ord-${day.options.seed}-${(++day.orderSeq).toString(36).padStart(5, "0")}`;
    event.quantity = rng.int(1, 4);
    event.unit_price = localPrice(product, store.currency);
    event.currency = store.currency;
  }
  return event;
}

/** About 1% of cart additions name a SKU that is no longer in ref.products (curated as unknown_sku, not poison). */
export function withUnknownSku(day: DayDraft, event: CommerceEvent): CommerceEvent {
  if (event.event_type !== "cart.item_added" || !day.rng.chance(0.01)) return event;
  day.injected.unknown_sku++;
  return { ...event, sku: `SKU-DISCONTINUED-${day.rng.int(1, 99)}` };
}
