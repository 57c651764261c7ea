import { isUtf8 } from "node:buffer";
import Ajv, { type ErrorObject } from "ajv";
import {
  MAX_EVENT_BYTES,
  NUMERIC_PATTERN,
  commerceEventFields,
  commerceEventJsonSchema,
  fromAvroJson,
  type CommerceEvent,
  type DEAD_LETTER_STAGES,
  type PoisonReason,
} from "../../contracts";
import { parseRfc3339 } from "./timestamps";

export type Stage = (typeof DEAD_LETTER_STAGES)[number];

export type { PoisonReason } from "../../contracts";

export interface Poison {
  kind: "poison";
  reason: PoisonReason;
  /** Human-readable: the validator message, the bad value's path. */
  detail: string;
  stage: Stage;
}

export interface Decoded {
  kind: "decoded";
  event: CommerceEvent;
  occurredMs: number;
}

export const poison = (reason: PoisonReason, detail: string, stage: Stage): Poison => ({ kind: "poison", reason, detail, stage });

// Compiled once per process, from the contract: the validator can never drift from the topic schema.
const validateEvent = new Ajv({ allErrors: false, strict: false }).compile<CommerceEvent>(commerceEventJsonSchema);

function describe(e: ErrorObject): string {
  const where = e.instancePath || "(event)";
  if (e.keyword === "required") return `${where}: missing required field ${(e.params as { missingProperty: string }).missingProperty}`;
  if (e.keyword === "additionalProperties") return `${where}: unknown field ${(e.params as { additionalProperty: string }).additionalProperty}`;
  if (e.keyword === "enum") return `${where}: ${e.message}: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`;
  if (e.propertyName !== undefined) return `${where}: key ${JSON.stringify(e.propertyName)} ${e.keyword === "not" ? "is reserved" : (e.message ?? e.keyword)}`;
  return `${where}: ${e.message ?? e.keyword}`;
}

const NUMERIC = new RegExp(NUMERIC_PATTERN);

/** The value an error points at (instancePath is a JSON pointer into the event). */
function valueAt(event: Record<string, unknown>, pointer: string): unknown {
  let v: unknown = event;
  for (const part of pointer.split("/").slice(1)) {
    const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
    v = v !== null && typeof v === "object" && Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : undefined;
  }
  return v;
}

/** The contract rule an error broke, as a dead-letter reason. */
function reasonOf(e: ErrorObject, event: Record<string, unknown>): PoisonReason {
  if (e.keyword === "required") return "missing_required_field";
  if (e.keyword === "maxLength" || e.keyword === "maxProperties") return "too_large";
  if (e.propertyName !== undefined) return "schema_violation"; // a reserved map key
  if (e.keyword === "minimum" || e.keyword === "maximum" || e.keyword === "not") return "out_of_range";
  // A well-formed decimal that fails a pattern fails the field's sign or magnitude rule.
  if (e.keyword === "pattern") {
    const field = e.instancePath.slice(1);
    const v = valueAt(event, e.instancePath);
    const numericField = Object.hasOwn(commerceEventFields, field) && commerceEventFields[field as keyof typeof commerceEventFields].type === "NUMERIC";
    if (numericField && typeof v === "string" && NUMERIC.test(v)) return "out_of_range";
  }
  return "schema_violation";
}

// On the wire every field is present (Avro), so a conditionally required field that was left out
// arrives as null and fails the `then` branch's type check rather than `required`.
function isConditionallyMissing(e: ErrorObject, event: Record<string, unknown>): boolean {
  return e.keyword === "type" && e.schemaPath.startsWith("#/allOf/") && event[e.instancePath.slice(1)] === null;
}

/**
 * Message bytes -> a contract-valid event, or the poison verdict saying why not. Accepts the Avro
 * JSON encoding the topic schema enforces (nullable values wrapped in their branch) and plain JSON.
 * Never throws.
 */
export function decodeEvent(data: Buffer): Decoded | Poison {
  // Before parsing: the cap bounds the work (and nesting) any one message can cost.
  if (data.length > MAX_EVENT_BYTES) return poison("too_large", `message is ${data.length} bytes, over the ${MAX_EVENT_BYTES}-byte cap`, "decode");
  if (!isUtf8(data)) return poison("invalid_utf8", "payload is not valid UTF-8", "decode");
  let wire: unknown;
  try {
    wire = JSON.parse(data.toString("utf8"));
  } catch (e) {
    return poison("malformed_json", (e as Error).message, "decode");
  }
  if (wire === null || typeof wire !== "object" || Array.isArray(wire)) {
    return poison("not_an_object", `payload is JSON ${Array.isArray(wire) ? "array" : wire === null ? "null" : typeof wire}, not an object`, "decode");
  }
  const event = fromAvroJson(commerceEventFields, wire as Record<string, unknown>);
  if (!validateEvent(event)) {
    const err = validateEvent.errors?.[0];
    if (err && isConditionallyMissing(err, event)) {
      return poison("missing_required_field", `${err.instancePath}: required for event_type ${String(event.event_type)}, got null`, "validate");
    }
    return poison(err ? reasonOf(err, event) : "schema_violation", err ? describe(err) : "invalid event", "validate");
  }
  const occurredMs = parseRfc3339(event.occurred_at);
  if (occurredMs === null) return poison("invalid_timestamp", `/occurred_at: not a real instant: ${event.occurred_at}`, "validate");
  return { kind: "decoded", event, occurredMs };
}
