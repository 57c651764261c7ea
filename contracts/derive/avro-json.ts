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

/** A copy with no prototype: a `__proto__`, `constructor` or `prototype` key stays an own key. */
function nullPrototype(v: Record<string, unknown>): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, x] of Object.entries(v)) out[k] = x;
  return out;
}

/**
 * Avro JSON encoding -> plain row, as an object without prototype (and so is a map value), so no
 * key can reach or replace a prototype. Lenient on purpose: an unwrapped value of a nullable field
 * is kept as is, so the validator (not the decoder) decides what is acceptable. Unknown keys are
 * kept for the validator to reject.
 */
export function fromAvroJson(fields: Fields, wire: Record<string, unknown>): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  for (const [name, v] of Object.entries(wire)) {
    const f = Object.hasOwn(fields, name) ? fields[name] : undefined;
    let value = v;
    if (f && f.mode === "NULLABLE" && isPlainObject(v)) {
      const keys = Object.keys(v);
      const branch = branchOf(f.type);
      value = keys.length === 1 && keys[0] === branch ? v[branch] : v;
    }
    out[name] = f?.type === "STRING_MAP" && isPlainObject(value) ? nullPrototype(value) : value;
  }
  return out;
}
