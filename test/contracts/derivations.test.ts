import Ajv from "ajv";
import { Type } from "avsc";
import {
  TABLES,
  commerceEventAvroSchema,
  commerceEventFields,
  commerceEventJsonSchema,
  fromAvroJson,
  toAvroJson,
  toBigQuerySchema,
  type CommerceEvent,
  type FieldType,
  type Fields,
} from "../../contracts";

const sampleOrder: CommerceEvent = {
  event_id: "evt-0001",
  event_type: "order.placed",
  occurred_at: "2026-11-24T09:15:00.250Z",
  user_id: "u-42",
  session_id: null,
  store_id: "ams-01",
  channel: "store",
  sku: "SKU-123",
  quantity: 2,
  unit_price: "19.99",
  currency: "EUR",
  order_id: "O-1001",
  attributes: { pos: "till-3" },
};

// The legacy names the BigQuery API answers with (so plans show no spurious diff); every other type keeps its name.
const LEGACY_BQ_TYPE: Partial<Record<FieldType, string>> = { INT64: "INTEGER", FLOAT64: "FLOAT", BOOL: "BOOLEAN", STRING_MAP: "JSON" };

describe("BigQuery schema derivation", () => {
  test.each(TABLES.map((t) => [`${t.dataset}.${t.table}`, t] as const))("%s has every contract field with its type and mode", (_id, t) => {
    const schema = toBigQuerySchema(t.fields);
    expect(schema.map((f) => f.name)).toEqual(Object.keys(t.fields));
    for (const [name, f] of Object.entries(t.fields as Fields)) {
      expect(schema.find((c) => c.name === name)).toEqual({ name, type: LEGACY_BQ_TYPE[f.type] ?? f.type, mode: f.mode, description: f.description });
    }
  });

  test.each(TABLES.map((t) => [`${t.dataset}.${t.table}`, t] as const))("%s declares partition and clustering on its own columns", (_id, t) => {
    if (t.partition) expect(Object.keys(t.fields)).toContain(t.partition.field);
    else expect(t.dataset).toBe("ref"); // only small reference tables may stay unpartitioned
    expect(t.clustering.length).toBeGreaterThan(0);
    expect(t.clustering.length).toBeLessThanOrEqual(4);
    for (const k of t.clustering) expect(Object.keys(t.fields)).toContain(k);
  });

  test("curated events carry every event field", () => {
    const curated = TABLES.find((t) => t.dataset === "curated")!;
    for (const name of Object.keys(commerceEventFields)) expect(Object.keys(curated.fields)).toContain(name);
  });
});

describe("Pub/Sub Avro schema derivation", () => {
  const avro = Type.forSchema(commerceEventAvroSchema as never);

  test("a valid sample event, in Avro JSON encoding, validates against the derived schema", () => {
    const wire = toAvroJson(commerceEventFields, sampleOrder);
    const decoded = avro.fromString(JSON.stringify(wire));
    expect(avro.isValid(decoded)).toBe(true);
    expect((decoded as Record<string, unknown>).event_id).toBe("evt-0001");
  });

  test("an event missing a required field does not validate", () => {
    const { store_id: _drop, ...rest } = sampleOrder;
    expect(() => avro.fromString(JSON.stringify(toAvroJson(commerceEventFields, rest)))).toThrow();
  });

  test("required fields are plain types, nullable fields are null unions defaulting to null", () => {
    for (const f of commerceEventAvroSchema.fields) {
      const def = commerceEventFields[f.name as keyof typeof commerceEventFields];
      if (def.mode === "REQUIRED") expect(Array.isArray(f.type)).toBe(false);
      else {
        expect(Array.isArray(f.type) && f.type[0] === "null").toBe(true);
        expect(f.default).toBeNull();
      }
    }
    expect(commerceEventAvroSchema.fields.map((f) => f.name)).toEqual(Object.keys(commerceEventFields));
  });

  test("Avro JSON wire form round-trips to the plain event", () => {
    const wire = toAvroJson(commerceEventFields, sampleOrder);
    expect(wire.sku).toEqual({ string: "SKU-123" });
    expect(wire.quantity).toEqual({ long: 2 });
    expect(wire.session_id).toBeNull();
    const plain = fromAvroJson(commerceEventFields, wire);
    expect(plain).toEqual({ ...sampleOrder, session_id: null });
  });
});

describe("runtime validator derivation (JSON Schema)", () => {
  const validate = new Ajv({ allErrors: true }).compile(commerceEventJsonSchema);

  test("accepts the sample event", () => {
    expect(validate(sampleOrder)).toBe(true);
  });

  test.each([
    ["an unknown event type", { ...sampleOrder, event_type: "order.exploded" }],
    ["an unknown channel", { ...sampleOrder, channel: "fax" }],
    ["a timestamp without offset", { ...sampleOrder, occurred_at: "2026-11-24 09:15:00" }],
    ["a float price", { ...sampleOrder, unit_price: 19.99 }],
    ["a quantity beyond 2^53 (it would be written rounded)", { ...sampleOrder, quantity: 2 ** 53 + 2 }],
    ["a lowercase currency", { ...sampleOrder, currency: "eur" }],
    ["an unknown field", { ...sampleOrder, colour: "red" }],
    ["order.placed without order_id", { ...sampleOrder, order_id: null }],
    ["a missing store", (({ store_id: _s, ...r }) => r)(sampleOrder)],
  ])("rejects %s", (_what, event) => {
    expect(validate(event)).toBe(false);
  });

  test("conditional requirements apply per event type only", () => {
    const view = { event_id: "e2", event_type: "order.cancelled", occurred_at: "2026-11-24T10:00:00Z", store_id: "ams-01", channel: "web", order_id: "O-1" };
    expect(validate(view)).toBe(true);
  });
});

// Compile-time checks of the TypeScript type derivation: `npm run typecheck` fails if they break.
type Expect<T extends true> = T;
type Equal<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;
export type TypeChecks = [
  Expect<Equal<CommerceEvent["event_id"], string>>,
  Expect<Equal<CommerceEvent["channel"], "web" | "app" | "store">>,
  Expect<Equal<CommerceEvent["quantity"], number | null | undefined>>,
  Expect<Equal<CommerceEvent["unit_price"], string | null | undefined>>,
  Expect<Equal<CommerceEvent["attributes"], Record<string, string> | null | undefined>>,
];

describe("TypeScript type derivation", () => {
  test("required keys are required and nullable keys optional", () => {
    // @ts-expect-error store_id is required by the contract
    const missing: CommerceEvent = { event_id: "e", event_type: "price.changed", occurred_at: "x", channel: "web" };
    const minimal: CommerceEvent = { event_id: "e", event_type: "price.changed", occurred_at: "x", channel: "web", store_id: "s" };
    expect(Object.keys(minimal)).not.toContain("sku");
    expect(missing).toBeDefined();
  });
});
