import { RESERVED_KEYS, type FieldDef, type Fields } from "../field";
import { NUMERIC_INTEGER_DIGITS, NUMERIC_SCALE } from "../numeric";

/** Decimal with BigQuery NUMERIC's precision: up to 29 integer and 9 fractional digits. */
export const NUMERIC_PATTERN = `^-?\\d{1,${NUMERIC_INTEGER_DIGITS}}(\\.\\d{1,${NUMERIC_SCALE}})?$`;
/** RFC 3339 timestamp with an explicit offset. */
export const TIMESTAMP_PATTERN = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$";
export const DATE_PATTERN = "^\\d{4}-\\d{2}-\\d{2}$";

type JsonSchema = Record<string, unknown>;

/** NUMERIC within a sign and magnitude rule: a decimal that fails only this is out of range, not malformed. */
function numericRangePattern(f: FieldDef): string | undefined {
  if (f.minimum !== undefined && f.minimum !== 0) throw new Error(`NUMERIC supports minimum 0 only (not negative), got ${f.minimum}`);
  if (f.minimum === undefined && f.integerDigits === undefined) return undefined;
  return `^${f.minimum === 0 ? "" : "-?"}\\d{1,${f.integerDigits ?? NUMERIC_INTEGER_DIGITS}}(\\.\\d{1,${NUMERIC_SCALE}})?$`;
}

function valueSchema(f: FieldDef): JsonSchema {
  switch (f.type) {
    case "STRING":
      return {
        type: "string",
        ...(f.enum ? { enum: [...f.enum] } : {}),
        ...(f.maxLength !== undefined ? { maxLength: f.maxLength } : {}),
        ...(f.pattern ? { pattern: f.pattern } : {}),
      };
    case "INT64":
      // JSON numbers become doubles: beyond 2^53 an INT64 would be written rounded, so it is refused.
      return {
        type: "integer",
        minimum: Math.max(f.minimum ?? Number.MIN_SAFE_INTEGER, Number.MIN_SAFE_INTEGER),
        maximum: Math.min(f.maximum ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
        ...(f.nonZero ? { not: { const: 0 } } : {}),
      };
    case "FLOAT64":
      return { type: "number", ...(f.minimum !== undefined ? { minimum: f.minimum } : {}), ...(f.maximum !== undefined ? { maximum: f.maximum } : {}) };
    case "NUMERIC": {
      const range = numericRangePattern(f);
      return { type: "string", pattern: NUMERIC_PATTERN, ...(range ? { allOf: [{ pattern: range }] } : {}) };
    }
    case "BOOL":
      return { type: "boolean" };
    case "TIMESTAMP":
      return { type: "string", pattern: TIMESTAMP_PATTERN };
    case "DATE":
      return { type: "string", pattern: DATE_PATTERN };
    case "BYTES":
      return { type: "string", contentEncoding: "base64" };
    case "STRING_MAP":
      return {
        type: "object",
        additionalProperties: { type: "string", ...(f.maxLength !== undefined ? { maxLength: f.maxLength } : {}) },
        ...(f.maxEntries !== undefined ? { maxProperties: f.maxEntries } : {}),
        propertyNames: { ...(f.maxKeyLength !== undefined ? { maxLength: f.maxKeyLength } : {}), not: { enum: [...RESERVED_KEYS] } },
      };
  }
}

function fieldSchema(f: FieldDef): JsonSchema {
  const v = valueSchema(f);
  return f.mode === "REQUIRED" ? v : { anyOf: [v, { type: "null" }] };
}

export interface ConditionalRequirement {
  /** Discriminating field, e.g. event_type. */
  field: string;
  /** For each discriminator value, the fields that must then be present and not null. */
  requires: Readonly<Record<string, readonly string[]>>;
  /** For each discriminator value, narrower value rules of some fields (added to the field's own). */
  rules?: Readonly<Record<string, Readonly<Record<string, Partial<FieldDef>>>>>;
}

/** JSON Schema (draft-07) for a contract; unknown fields are rejected. */
export function toJsonSchema(title: string, fields: Fields, conditional?: ConditionalRequirement): JsonSchema {
  const schema: JsonSchema = {
    $schema: "http://json-schema.org/draft-07/schema#",
    title,
    type: "object",
    additionalProperties: false,
    required: Object.entries(fields)
      .filter(([, f]) => f.mode === "REQUIRED")
      .map(([n]) => n),
    properties: Object.fromEntries(Object.entries(fields).map(([n, f]) => [n, fieldSchema(f)])),
  };
  if (conditional) {
    const values = [...new Set([...Object.keys(conditional.requires), ...Object.keys(conditional.rules ?? {})])];
    schema.allOf = values.map((value) => {
      const names = conditional.requires[value] ?? [];
      const rules = conditional.rules?.[value] ?? {};
      const ruled = (n: string): FieldDef => ({ ...fields[n], ...rules[n] });
      // A required field must be a non-null value; a field with a narrower rule keeps its own nullability.
      const properties = Object.fromEntries([
        ...Object.keys(rules).map((n) => [n, fieldSchema(ruled(n))]),
        ...names.map((n) => [n, valueSchema(ruled(n))]),
      ]);
      return {
        if: { properties: { [conditional.field]: { const: value } }, required: [conditional.field] },
        then: { ...(names.length > 0 ? { required: [...names] } : {}), properties },
      };
    });
  }
  return schema;
}
