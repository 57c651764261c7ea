import { Fields, nullable, required } from "./field";

export const EVENT_TYPES = [
  "cart.item_added",
  "cart.item_removed",
  "order.placed",
  "order.cancelled",
  "inventory.adjusted",
  "price.changed",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const CHANNELS = ["web", "app", "store"] as const;
export type Channel = (typeof CHANNELS)[number];

/** The commerce event as publishers send it to the `commerce-events` topic (JSON encoding). */
export const commerceEventFields = {
  event_id: required.string("Publisher-assigned unique id; the idempotency key end to end.", {
    maxLength: 128,
    pattern: "^[A-Za-z0-9._:-]+$",
  }),
  event_type: required.string("What happened.", { enum: EVENT_TYPES }),
  occurred_at: required.timestamp("When it happened at the source (RFC 3339, UTC offset required)."),
  user_id: nullable.string("Customer id; null for anonymous sessions and store-side events.", { maxLength: 128 }),
  session_id: nullable.string("Web/app session id.", { maxLength: 128 }),
  store_id: required.string("Store (or web storefront) the event belongs to.", { maxLength: 64 }),
  channel: required.string("Sales channel.", { enum: CHANNELS }),
  sku: nullable.string("Product SKU; required for cart, order, inventory and price events.", { maxLength: 64 }),
  quantity: nullable.int64("Units; negative only for inventory adjustments."),
  unit_price: nullable.numeric("Price per unit in `currency`, as a decimal string (BigQuery NUMERIC)."),
  currency: nullable.string("ISO 4217 currency code of unit_price.", { pattern: "^[A-Z]{3}$" }),
  order_id: nullable.string("Order id; required for order.* events.", { maxLength: 64 }),
  attributes: nullable.stringMap("Free-form string attributes from the publisher."),
} as const satisfies Fields;

/**
 * Fields that become required for some event types. The JSON Schema validator enforces it;
 * Avro cannot express it, so the topic schema stays permissive on these.
 */
export const conditionallyRequired: Readonly<Partial<Record<EventType, readonly (keyof typeof commerceEventFields)[]>>> = {
  "cart.item_added": ["sku", "quantity"],
  "cart.item_removed": ["sku", "quantity"],
  "order.placed": ["order_id", "sku", "quantity", "unit_price", "currency"],
  "order.cancelled": ["order_id"],
  "inventory.adjusted": ["sku", "quantity"],
  "price.changed": ["sku", "unit_price", "currency"],
};
