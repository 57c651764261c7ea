import fc from "fast-check";
import { processMessage, type CoreOptions } from "../../../functions/enrichment/core";
import { commerceEventFields, type CommerceEvent } from "../../../contracts";
import { REFERENCE, orderPlaced, wireBytes } from "../../../fixtures/commerce-events";
import { validEventArb, validateCuratedRow } from "./fixtures";

const OPTS: CoreOptions = { lateThresholdSeconds: 3600, pipelineVersion: "test" };
const NOW = Date.parse("2026-03-01T08:00:00Z");
const run = (data: Buffer, now = NOW) => processMessage(data, REFERENCE, now, OPTS);

describe("enrichment core", () => {
  it("turns a valid order into a complete curated row with exact USD revenue and the store's local date", () => {
    const v = run(wireBytes(orderPlaced()));
    expect(v.kind).toBe("ok");
    if (v.kind !== "ok") return;
    expect(validateCuratedRow(v.row)).toBe(true);
    expect(v.row).toMatchObject({
      event_id: "evt-1",
      product_category: "shoes",
      product_brand: "Acme",
      store_region: "us-west",
      store_time_zone: "America/Los_Angeles",
      // 3 * 19.99 EUR * 1.08 USD/EUR (the 2026-01-01 rate): exact, no float error.
      revenue_usd: "64.7676",
      // 07:30 UTC on 1 March is still 28 February in Los Angeles.
      event_date: "2026-02-28",
      ingest_time: "2026-03-01T08:00:00.000Z",
      is_late: false,
      enrichment_status: "complete",
      source: "stream",
      attributes: '{"campaign":"spring"}',
    });
    expect(v.freshnessMs).toBe(30 * 60_000);
  });

  it("accepts plain JSON as well as the Avro JSON encoding", () => {
    const v = processMessage(Buffer.from(JSON.stringify(orderPlaced())), REFERENCE, NOW, OPTS);
    expect(v.kind).toBe("ok");
  });

  it("flags late events against the threshold", () => {
    const v = run(wireBytes(orderPlaced()), NOW + 3600_000);
    expect(v.kind === "ok" && v.row.is_late).toBe(true);
  });

  it.each([
    [{ sku: "SKU-NOPE" }, "unknown_sku", { product_category: null, store_region: "us-west" }],
    [{ store_id: "S-NOPE" }, "unknown_store", { store_region: null, store_time_zone: null, event_date: "2026-03-01" }],
    [{ currency: "CHF" }, "unknown_fx", { revenue_usd: null }],
    [{ sku: "SKU-NOPE", store_id: "S-NOPE" }, "incomplete", { product_brand: null, store_region: null }],
  ])("writes an incomplete row (never poison) for %j", (overrides, status, nulls) => {
    const v = run(wireBytes(orderPlaced(overrides)));
    expect(v.kind).toBe("ok");
    if (v.kind !== "ok") return;
    expect(v.row.enrichment_status).toBe(status);
    expect(v.row).toMatchObject(nulls);
    expect(validateCuratedRow(v.row)).toBe(true);
  });

  it.each([
    ["malformed JSON", Buffer.from('{"event_id": '), "malformed_json", "decode"],
    ["invalid UTF-8", Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), "invalid_utf8", "decode"],
    ["a JSON array", Buffer.from("[1,2]"), "not_an_object", "decode"],
    ["a missing required field", Buffer.from(JSON.stringify({ event_type: "order.placed" })), "missing_required_field", "validate"],
    ["an unknown event type", wireBytes(orderPlaced({ event_type: "order.shipped" as never })), "schema_violation", "validate"],
    ["an order without order_id (null on the Avro wire)", wireBytes(orderPlaced({ order_id: null })), "missing_required_field", "validate"],
    ["a bad currency code", wireBytes(orderPlaced({ currency: "eur" })), "schema_violation", "validate"],
    ["an impossible date", wireBytes(orderPlaced({ occurred_at: "2026-02-30T10:00:00Z" })), "invalid_timestamp", "validate"],
    ["an unknown field", Buffer.from(JSON.stringify({ ...orderPlaced(), extra: 1 })), "schema_violation", "validate"],
  ])("classifies %s as poison", (_what, data, reason, stage) => {
    const v = run(data);
    expect(v).toMatchObject({ kind: "poison", reason, stage });
    if (v.kind === "poison") expect(v.detail.length).toBeGreaterThan(0);
  });

  it("names the missing field in the detail", () => {
    const v = run(wireBytes(orderPlaced({ order_id: null })));
    expect(v.kind === "poison" && v.detail).toContain("order_id");
  });

  it("classifies any bytes without throwing", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const v = run(Buffer.from(bytes));
        expect(["ok", "poison"]).toContain(v.kind);
      }),
      { numRuns: 2000 },
    );
  });

  it("classifies any JSON value without throwing", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const v = run(Buffer.from(JSON.stringify(value) ?? "null"));
        expect(["ok", "poison"]).toContain(v.kind);
      }),
      { numRuns: 2000 },
    );
  });

  it("turns every valid event, in either encoding, into a row that matches the curated contract", () => {
    fc.assert(
      fc.property(validEventArb, fc.boolean(), (event, avro) => {
        const v = run(avro ? wireBytes(event) : Buffer.from(JSON.stringify(event)));
        if (v.kind !== "ok") throw new Error(`valid event classified poison: ${JSON.stringify(v)}`);
        if (!validateCuratedRow(v.row)) throw new Error(JSON.stringify(validateCuratedRow.errors));
        // Every field of the event contract is carried as published (attributes as JSON text), so a
        // field added to the contract cannot be dropped by the row builder's explicit (hot-path) list.
        for (const name of Object.keys(commerceEventFields) as (keyof CommerceEvent)[]) {
          const published = event[name] ?? null;
          expect(v.row[name]).toEqual(name === "attributes" && published !== null ? JSON.stringify(published) : published);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
