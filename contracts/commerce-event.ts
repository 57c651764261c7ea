import { Fields, nullable, required, type FieldDef } from "./field";

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

/** Most units one cart or order event may carry. */
export const MAX_UNITS = 10_000;
/** Largest stock correction one inventory.adjusted event may make, either way. */
export const MAX_INVENTORY_ADJUSTMENT = 1_000_000;
/** unit_price is below 10^7 in its currency (room for JPY/KRW luxury prices, not for a typo of 1e9). */
export const UNIT_PRICE_INTEGER_DIGITS = 7;
/**
 * Most bytes of one message as published (the Avro JSON wire form); a larger one is poison
 * `too_large` before it is parsed. Above the largest event the field caps allow (a test proves it).
 */
export const MAX_EVENT_BYTES = 32 * 1024;

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
  quantity: nullable.int64("Units; negative only for inventory adjustments.", {
    minimum: -MAX_INVENTORY_ADJUSTMENT,
    maximum: MAX_INVENTORY_ADJUSTMENT,
    nonZero: true,
  }),
  unit_price: nullable.numeric("Price per unit in `currency`, as a decimal string (BigQuery NUMERIC).", {
    minimum: 0,
    integerDigits: UNIT_PRICE_INTEGER_DIGITS,
  }),
  currency: nullable.string("ISO 4217 currency code of unit_price.", { pattern: "^[A-Z]{3}$" }),
  order_id: nullable.string("Order id; required for order.* events.", { maxLength: 64 }),
  attributes: nullable.stringMap("Free-form string attributes from the publisher.", { maxEntries: 32, maxKeyLength: 64, maxLength: 256 }),
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

/** Narrower value rules for some event types, on top of the field's own (a violation is poison `out_of_range`). */
export type EventTypeRules = Readonly<Partial<Record<EventType, Partial<Record<keyof typeof commerceEventFields, Omit<FieldDef, "type" | "mode" | "description">>>>>>;

// Zero units is never an event (the field refuses it); a negative count only corrects stock.
const positiveUnits = { minimum: 1, maximum: MAX_UNITS } as const;

/**
 * Per event type: quantity is 1..MAX_UNITS except on inventory.adjusted, which may be negative
 * (-MAX_INVENTORY_ADJUSTMENT..MAX_INVENTORY_ADJUSTMENT, not 0). unit_price is 0 or more for every
 * type (0 is a free item: a 100% discount or a giveaway, revenue 0), below 10^7.
 */
export const eventTypeRules: EventTypeRules = {
  "cart.item_added": { quantity: positiveUnits },
  "cart.item_removed": { quantity: positiveUnits },
  "order.placed": { quantity: positiveUnits },
  "order.cancelled": { quantity: positiveUnits },
  "price.changed": { quantity: positiveUnits },
};

/**
 * Why a commerce event can never succeed: the dead-letter `reason` of each poison verdict (README,
 * "The event contract", lists each with its rule).
 */
export const POISON_REASONS = [
  "invalid_utf8",
  "too_large",
  "malformed_json",
  "not_an_object",
  "missing_required_field",
  "out_of_range",
  "schema_violation",
  "invalid_timestamp",
  "revenue_out_of_range",
  "rejected_by_warehouse",
] as const;
export type PoisonReason = (typeof POISON_REASONS)[number];
