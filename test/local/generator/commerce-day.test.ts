import { Type } from "avsc";
import { commerceEventAvroSchema } from "../../../contracts";
import { decodeEvent } from "../../../functions/enrichment/decode";
import { generateCommerceDay } from "../../../local/generator/commerce-day";

const options = { seed: 7, events: 3000, ratePerSecond: 500, startMs: Date.parse("2026-03-10T13:00:00Z") };
const day = generateCommerceDay(options);
const avro = Type.forSchema(commerceEventAvroSchema as unknown as Parameters<typeof Type.forSchema>[0]);

test("the same seed gives the same day; another seed another", () => {
  expect(JSON.stringify(generateCommerceDay(options))).toBe(JSON.stringify(day));
  expect(generateCommerceDay({ ...options, seed: 8 }).messages[0].data).not.toBe(day.messages[0].data);
});

test("exactly the requested number of messages, paced at the rate", () => {
  expect(day.messages).toHaveLength(options.events);
  expect(day.messages.at(-1)!.atMs).toBeCloseTo(((options.events - 1) * 1000) / options.ratePerSecond);
});

test("every message passes the topic's Avro schema (the emulator would reject it at publish otherwise)", () => {
  // avsc's fromString applies Avro's JSON encoding (wrapped unions, every field present) and throws otherwise.
  for (const m of day.messages) expect(avro.isValid(avro.fromString(m.data))).toBe(true);
});

test("poison is contract-invalid, everything else valid", () => {
  const verdicts = day.messages.map((m) => ({ role: m.role, kind: decodeEvent(Buffer.from(m.data)).kind }));
  expect(verdicts.filter((v) => v.role === "poison").every((v) => v.kind === "poison")).toBe(true);
  expect(verdicts.filter((v) => v.role !== "poison").every((v) => v.kind !== "poison")).toBe(true);
  expect(day.poisonEventIds).toHaveLength(day.messages.filter((m) => m.role === "poison").length);
  expect(day.injected.poison).toBe(day.poisonEventIds.length);
});

test("duplicates re-send an earlier message's exact bytes", () => {
  const duplicates = day.messages.filter((m) => m.role === "duplicate");
  expect(duplicates.length).toBe(day.injected.duplicate);
  expect(duplicates.length).toBeGreaterThan(0);
  for (const d of duplicates) expect(day.messages.some((m) => m.role === "event" && m.data === d.data && m.atMs < d.atMs)).toBe(true);
});

test("every drift kind is injected, and expected discrepancies count only the run date's orders", () => {
  for (const kind of ["missing_in_stream", "extra_in_stream", "amount_mismatch", "duplicate_in_stream", "explained_by_dlq"] as const) {
    expect(day.injected[kind]).toBeGreaterThan(0);
    expect(day.expectedDiscrepancies[kind]).toBeLessThanOrEqual(day.injected[kind]);
  }
  expect(day.ledger.filter((r) => r.order_date === day.runDate).length).toBeGreaterThan(day.ledger.length / 2);
  expect(new Set(day.ledger.map((r) => r.order_id)).size).toBe(day.ledger.length);
});
