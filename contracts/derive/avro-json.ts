import type { FieldType, Fields } from "../field";
import { AVRO_TYPE } from "./avro-schema";

// Pub/Sub validates JSON-encoded messages with Avro's JSON encoding: every field present, and a
// non-null value of a nullable (union) field wrapped in its branch name, e.g. {"sku": {"string": "A1"}}.
// These two functions translate between that wire form and plain rows, derived from the contract.
// A union branch is named by its type: "string", "long", ... and "map" for the map type.
const branchOf = (t: FieldType): string => {
  const avro = AVRO_TYPE[t];
  return typeof avro === "string" ? avro : avro.type;
};

/** Plain row -> Avro JSON encoding (what publishers put on the wire). */
export function toAvroJson(fields: Fields, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(fields)) {
    const v = row[name];
    if (f.mode === "REQUIRED") out[name] = v;
    else out[name] = v === undefined || v === null ? null : { [branchOf(f.type)]: v };
  }
  return out;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * An empty object without prototype, so a `__proto__`, `constructor` or `prototype` key stays an own
 * key. Made with setPrototypeOf rather than Object.create(null): V8 keeps this one in fast-property
 * mode (the validator and the enrichment read it ~2x faster), Object.create(null) starts a dictionary.
 */
function emptyWithoutPrototype(): Record<string, unknown> {
  const out = {};
  Object.setPrototypeOf(out, null);
  return out as Record<string, unknown>;
}

/** A copy with no prototype. */
function nullPrototype(v: Record<string, unknown>): Record<string, unknown> {
  const out = emptyWithoutPrototype();
  for (const k of Object.keys(v)) out[k] = v[k];
  return out;
}

/**
 * Avro JSON encoding -> plain row, as an object without prototype (and so is a map value), so no
 * key can reach or replace a prototype. Lenient on purpose: an unwrapped value of a nullable field
 * is kept as is, so the validator (not the decoder) decides what is acceptable. Unknown keys are
 * kept for the validator to reject.
 */
export function fromAvroJson(fields: Fields, wire: Record<string, unknown>): Record<string, unknown> {
  const plan = wirePlan(fields);
  const out = emptyWithoutPrototype();
  for (const name of Object.keys(wire)) {
    const v = wire[name];
    const f = plan.get(name);
    let value = v;
    if (f?.branch !== undefined && isPlainObject(v) && isOnlyKey(v, f.branch)) value = v[f.branch];
    out[name] = f?.isMap && isPlainObject(value) ? nullPrototype(value) : value;
  }
  return out;
}

/** True when `key` is the object's one own key (no array allocated: this runs per field per message). */
function isOnlyKey(v: Record<string, unknown>, key: string): boolean {
  let n = 0;
  for (const k in v) if (++n > 1 || k !== key) return false;
  return n === 1 && Object.hasOwn(v, key);
}

/** Per field: the union branch a nullable value is wrapped in, and whether it is a map. */
type WirePlan = Map<string, { branch: string | undefined; isMap: boolean }>;

// Derived once per contract: the decoder runs per message on the hot path.
const plans = new WeakMap<Fields, WirePlan>();

function wirePlan(fields: Fields): WirePlan {
  let plan = plans.get(fields);
  if (!plan) {
    plan = new Map(Object.entries(fields).map(([name, f]) => [name, { branch: f.mode === "NULLABLE" ? branchOf(f.type) : undefined, isMap: f.type === "STRING_MAP" }]));
    plans.set(fields, plan);
  }
  return plan;
}
