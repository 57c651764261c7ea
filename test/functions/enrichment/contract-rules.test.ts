import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeEvent, processMessage, type CoreOptions } from "../../../functions/enrichment/core";
import { MAX_EVENT_BYTES, MAX_INVENTORY_ADJUSTMENT, MAX_UNITS, POISON_REASONS, RESERVED_KEYS, UNIT_PRICE_INTEGER_DIGITS, commerceEventFields, type CommerceEvent, type FieldDef } from "../../../contracts";
import { REFERENCE, orderPlaced, wireBytes } from "../../../fixtures/commerce-events";

const OPTS: CoreOptions = { lateThresholdSeconds: 3600, pipelineVersion: "test" };
const NOW = Date.parse("2026-03-01T08:00:00Z");
const run = (data: Buffer) => processMessage(data, REFERENCE, NOW, OPTS);
const event = (overrides: Partial<CommerceEvent>) => wireBytes(orderPlaced(overrides));
const cart = (quantity: number) => event({ event_type: "cart.item_added", order_id: null, unit_price: null, currency: null, quantity });
const inventory = (quantity: number) => event({ event_type: "inventory.adjusted", order_id: null, unit_price: null, currency: null, quantity });
/** A raw JSON text with the keys in this order (JSON.parse keeps `__proto__` as an own key). */
const rawJson = (pairs: [string, unknown][]) => Buffer.from(`{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}`);
const orderPairs = (): [string, unknown][] => Object.entries(orderPlaced());

describe("contract rules: quantity and unit_price per event type", () => {
  it.each([
    ["order.placed with quantity -2 (was curated with negative revenue)", event({ quantity: -2 })],
    ["order.placed with quantity 0 (was curated with revenue 0)", event({ quantity: 0 })],
    ["order.placed above MAX_UNITS", event({ quantity: MAX_UNITS + 1 })],
    ["cart.item_added with a negative quantity", cart(-1)],
    ["cart.item_added with quantity 0", cart(0)],
    ["a negative unit_price", event({ unit_price: "-1.00" })],
    ["a negative zero unit_price", event({ unit_price: "-0" })],
    ["a unit_price of 10^7", event({ unit_price: "10000000" })],
    ["inventory.adjusted by 0", inventory(0)],
    ["inventory.adjusted beyond the cap", inventory(-(MAX_INVENTORY_ADJUSTMENT + 1))],
    ["price.changed to a negative price", event({ event_type: "price.changed", order_id: null, quantity: null, unit_price: "-5" })],
  ])("rejects %s as out_of_range", (_what, data) => {
    expect(run(data)).toMatchObject({ kind: "poison", reason: "out_of_range", stage: "validate" });
  });

  it.each([
    ["inventory.adjusted by -5 (the only negative quantity)", inventory(-5)],
    ["inventory.adjusted by the cap", inventory(MAX_INVENTORY_ADJUSTMENT)],
    ["order.placed with MAX_UNITS", event({ quantity: MAX_UNITS })],
    ["order.placed of a free item (unit_price 0)", event({ unit_price: "0" })],
    ["the largest unit_price", event({ unit_price: "9999999.999999999" })],
    ["order.cancelled without quantity", event({ event_type: "order.cancelled", quantity: null, unit_price: null, currency: null })],
  ])("accepts %s", (_what, data) => {
    expect(run(data).kind).toBe("ok");
  });

  it("gives a free item revenue 0, not a poison verdict", () => {
    const v = run(event({ unit_price: "0.00" }));
    expect(v.kind === "ok" && v.row.revenue_usd).toBe("0");
  });

  it("names the field and the rule in the detail", () => {
    const v = run(event({ quantity: -2 }));
    expect(v.kind === "poison" && v.detail).toMatch(/\/quantity: must be >= 1/);
  });

  it("keeps a malformed price a schema_violation, not out_of_range", () => {
    expect(run(event({ unit_price: "1e5" }))).toMatchObject({ kind: "poison", reason: "schema_violation" });
    expect(run(event({ currency: "123" }))).toMatchObject({ kind: "poison", reason: "schema_violation" });
  });
});

describe("contract rules: size caps (too_large)", () => {
  it("refuses a 9 MB event (huge attributes) before parsing it", () => {
    const huge = event({ attributes: { blob: "x".repeat(9 * 1024 * 1024) } });
    expect(run(huge)).toMatchObject({ kind: "poison", reason: "too_large", stage: "decode" });
  });

  it("refuses a message one byte over the cap, whatever it holds", () => {
    expect(run(Buffer.alloc(MAX_EVENT_BYTES + 1, " "))).toMatchObject({ kind: "poison", reason: "too_large" });
  });

  it.each([
    ["an attribute value over 256 characters", { attributes: { note: "x".repeat(257) } }],
    ["more than 32 attributes", { attributes: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, "v"])) }],
    ["an attribute key over 64 characters", { attributes: { ["k".repeat(65)]: "v" } }],
    ["a user_id over 128 characters", { user_id: "u".repeat(129) }],
  ])("refuses %s as too_large", (_what, overrides) => {
    expect(run(event(overrides))).toMatchObject({ kind: "poison", reason: "too_large", stage: "validate" });
  });

  it("lets the largest event the field caps allow through: the message cap is above it", () => {
    const longest = (name: keyof typeof commerceEventFields) => "a".repeat((commerceEventFields[name] as FieldDef).maxLength ?? 0);
    const largest = orderPlaced({
      event_id: longest("event_id"),
      user_id: longest("user_id"),
      session_id: longest("session_id"),
      store_id: longest("store_id"),
      sku: longest("sku"),
      order_id: longest("order_id"),
      occurred_at: "2026-03-01T07:30:00.123456789+05:30",
      unit_price: "9999999.999999999",
      quantity: MAX_UNITS,
      // Multi-byte characters: the cap is in bytes, a value's length in characters.
      attributes: Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`${String(i).padStart(2, "0")}${"ключ".repeat(15)}`, "€".repeat(256)])),
    });
    const bytes = wireBytes(largest);
    expect(bytes.length).toBeLessThanOrEqual(MAX_EVENT_BYTES);
    expect(run(bytes).kind).toBe("ok");
  });
});

describe("contract rules: reserved keys and null-prototype decoding", () => {
  it.each(RESERVED_KEYS.map((k) => [k]))("rejects a top-level %s key as an unknown field", (key) => {
    const v = run(rawJson([...orderPairs(), [key, "x"]]));
    expect(v).toMatchObject({ kind: "poison", reason: "schema_violation", stage: "validate" });
    expect(v.kind === "poison" && v.detail).toContain(`unknown field ${key}`);
  });

  it("does not let a required field arrive through __proto__", () => {
    const pairs = orderPairs().filter(([k]) => k !== "event_id");
    const v = run(rawJson([["__proto__", { event_id: "smuggled" }], ...pairs]));
    expect(v.kind).toBe("poison");
  });

  it.each(RESERVED_KEYS.map((k) => [k]))("rejects an attributes key %s", (key) => {
    const pairs = orderPairs().map(([k, v]): [string, unknown] => (k === "attributes" ? [k, { map: JSON.parse(`{${JSON.stringify(key)}:"x"}`) }] : [k, v]));
    const v = run(rawJson(pairs));
    expect(v).toMatchObject({ kind: "poison", reason: "schema_violation" });
    expect(v.kind === "poison" && v.detail).toContain(`key "${key}" is reserved`);
  });

  it("decodes into objects without a prototype, and touches no global prototype", () => {
    const d = decodeEvent(wireBytes(orderPlaced()));
    expect(d.kind).toBe("decoded");
    if (d.kind !== "decoded") return;
    expect(Object.getPrototypeOf(d.event)).toBeNull();
    expect(Object.getPrototypeOf(d.event.attributes)).toBeNull();
    run(rawJson([...orderPairs(), ["__proto__", { polluted: "yes" }]]));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("README's contract section", () => {
  const readme = readFileSync(join(__dirname, "..", "..", "..", "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## The event contract"), readme.indexOf("### Duplicates"));

  it("lists every poison reason the function can give", () => {
    for (const reason of POISON_REASONS) expect(section).toContain(`| poison | \`${reason}\` |`);
  });

  it("states the caps and ranges the contract holds", () => {
    const thousands = (n: number) => n.toLocaleString("en-US");
    expect(section).toContain(`over ${MAX_EVENT_BYTES / 1024} KiB`);
    expect(section).toContain(`1 to ${thousands(MAX_UNITS)}`);
    expect(section).toContain(`from -${thousands(MAX_INVENTORY_ADJUSTMENT)} to ${thousands(MAX_INVENTORY_ADJUSTMENT)}`);
    expect(section).toContain(`below ${thousands(10 ** UNIT_PRICE_INTEGER_DIGITS)}`);
    const attributes = commerceEventFields.attributes;
    expect(section).toContain(`more than ${attributes.maxEntries} entries, a key over ${attributes.maxKeyLength} or a value over ${attributes.maxLength} characters`);
  });
});
