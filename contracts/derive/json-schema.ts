import type { FieldDef, Fields } from "../field";

/** Decimal with BigQuery NUMERIC's precision: up to 29 integer and 9 fractional digits. */
export const NUMERIC_PATTERN = "^-?\\d{1,29}(\\.\\d{1,9})?$";
/** RFC 3339 timestamp with an explicit offset. */
export const TIMESTAMP_PATTERN = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$";
export const DATE_PATTERN = "^\\d{4}-\\d{2}-\\d{2}$";

type JsonSchema = Record<string, unknown>;

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
      return { type: "integer", minimum: Math.max(f.minimum ?? Number.MIN_SAFE_INTEGER, Number.MIN_SAFE_INTEGER), maximum: Number.MAX_SAFE_INTEGER };
    case "FLOAT64":
      return { type: "number", ...(f.minimum !== undefined ? { minimum: f.minimum } : {}) };
    case "NUMERIC":
      return { type: "string", pattern: NUMERIC_PATTERN };
    case "BOOL":
      return { type: "boolean" };
    case "TIMESTAMP":
      return { type: "string", pattern: TIMESTAMP_PATTERN };
    case "DATE":
      return { type: "string", pattern: DATE_PATTERN };
    case "BYTES":
      return { type: "string", contentEncoding: "base64" };
    case "STRING_MAP":
      return { type: "object", additionalProperties: { type: "string" } };
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
    schema.allOf = Object.entries(conditional.requires).map(([value, names]) => ({
      if: { properties: { [conditional.field]: { const: value } }, required: [conditional.field] },
      then: {
        required: [...names],
        properties: Object.fromEntries(names.map((n) => [n, valueSchema(fields[n])])),
      },
    }));
  }
  return schema;
}
