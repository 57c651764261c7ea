import fc from "fast-check";
import Ajv from "ajv";
import {
  CHANNELS,
  EVENT_TYPES,
  MAX_INVENTORY_ADJUSTMENT,
  MAX_UNITS,
  RESERVED_KEYS,
  UNIT_PRICE_INTEGER_DIGITS,
  conditionallyRequired,
  curatedCommerceEvents,
  toJsonSchema,
  type CommerceEvent,
} from "../../../contracts";

/** Validator of the curated table, derived from its contract (not a hand-written field list). */
export const validateCuratedRow = new Ajv({ strict: false, allErrors: true }).compile(toJsonSchema("CuratedRow", curatedCommerceEvents.fields));

const id = fc.stringMatching(/^[A-Za-z0-9._:-]{1,40}$/);
const decimal = fc.tuple(fc.bigInt({ min: 0n, max: 10n ** BigInt(UNIT_PRICE_INTEGER_DIGITS) - 1n }), fc.integer({ min: 0, max: 999_999_999 }), fc.integer({ min: 0, max: 9 })).map(
  ([i, f, digits]) => (digits === 0 ? i.toString() : `${i}.${String(f).padStart(9, "0").slice(0, digits)}`),
);
const timestamp = fc
  .tuple(fc.date({ min: new Date("1970-01-02T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }), fc.constantFrom("Z", "+05:30", "-08:00", "+00:00"))
  .map(([d, off]) => {
    const iso = d.toISOString().replace("Z", "");
    if (off === "Z") return iso + "Z";
    const sign = off[0] === "+" ? 1 : -1;
    const [h, m] = off.slice(1).split(":").map(Number);
    const local = new Date(d.getTime() + sign * (h * 60 + m) * 60_000).toISOString().replace("Z", "");
    return local + off;
  });

/** Any contract-valid event: every event type, known and unknown stores/SKUs/currencies. */
export const validEventArb: fc.Arbitrary<CommerceEvent> = fc
  .record({
    event_id: id,
    event_type: fc.constantFrom(...EVENT_TYPES),
    occurred_at: timestamp,
    user_id: fc.option(id, { nil: null }),
    session_id: fc.option(id, { nil: null }),
    store_id: fc.constantFrom("S-LA", "S-AMS", "S-TYO", "S-UNKNOWN"),
    channel: fc.constantFrom(...CHANNELS),
    sku: fc.option(fc.constantFrom("SKU-1", "SKU-2", "SKU-UNKNOWN"), { nil: null }),
    quantity: fc.option(fc.integer({ min: 1, max: MAX_UNITS }), { nil: null }),
    adjustment: fc.integer({ min: -MAX_INVENTORY_ADJUSTMENT, max: MAX_INVENTORY_ADJUSTMENT }).filter((n) => n !== 0),
    unit_price: fc.option(decimal, { nil: null }),
    currency: fc.option(fc.constantFrom("USD", "EUR", "JPY", "GBP"), { nil: null }),
    order_id: fc.option(id, { nil: null }),
    attributes: fc.option(
      fc.dictionary(
        fc.string({ maxLength: 10 }).filter((k) => !(RESERVED_KEYS as readonly string[]).includes(k)),
        fc.string({ maxLength: 20 }),
        { maxKeys: 3 },
      ),
      { nil: null },
    ),
  })
  .map(({ adjustment, ...e }) => {
    // Fill what the event type requires so every generated event is valid.
    const filled: Record<string, unknown> = { ...e, ...(e.event_type === "inventory.adjusted" ? { quantity: adjustment } : {}) };
    for (const f of conditionallyRequired[e.event_type] ?? []) {
      if (filled[f] === null) filled[f] = { sku: "SKU-1", quantity: 1, unit_price: "9.99", currency: "USD", order_id: "o-x" }[f as string] ?? null;
    }
    return filled as CommerceEvent;
  });
