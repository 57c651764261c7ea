/**
 * The vocabulary every contract is written in. A field is declared once here and every
 * schema (BigQuery, Pub/Sub Avro, JSON Schema validator, ZetaSQL catalog, TypeScript type)
 * is derived from it.
 */

/** BigQuery standard SQL types the contracts use. `STRING_MAP` is a string->string map (JSON in BigQuery). */
export type FieldType =
  | "STRING"
  | "INT64"
  | "NUMERIC"
  | "FLOAT64"
  | "BOOL"
  | "TIMESTAMP"
  | "DATE"
  | "BYTES"
  | "STRING_MAP";

export type FieldMode = "REQUIRED" | "NULLABLE";

export interface FieldDef {
  readonly type: FieldType;
  readonly mode: FieldMode;
  /** One line; becomes the BigQuery column description and the Avro doc. */
  readonly description: string;
  /** Closed set of allowed values (STRING only). */
  readonly enum?: readonly string[];
  /** Maximum string length (STRING; for STRING_MAP each value's length). A longer value is `too_large`. */
  readonly maxLength?: number;
  /** Regular expression a STRING value must match. */
  readonly pattern?: string;
  /** Inclusive minimum (INT64 / FLOAT64); on NUMERIC only 0 is supported: the value is not negative. */
  readonly minimum?: number;
  /** Inclusive maximum (INT64 / FLOAT64). */
  readonly maximum?: number;
  /** INT64: zero is not allowed. */
  readonly nonZero?: boolean;
  /** NUMERIC: at most this many integer digits, i.e. |value| < 10^integerDigits. */
  readonly integerDigits?: number;
  /** STRING_MAP: most entries, and longest key. More or longer is `too_large`. */
  readonly maxEntries?: number;
  readonly maxKeyLength?: number;
}

/**
 * Keys never accepted in a decoded object, at any level: in a plain JS object they reach the
 * prototype chain (`__proto__` replaces it). A top-level one is an unknown field; in a map it is
 * refused by the map's key rule.
 */
export const RESERVED_KEYS = ["__proto__", "constructor", "prototype"] as const;

export type Fields = Readonly<Record<string, FieldDef>>;

type Extra = Omit<FieldDef, "type" | "mode" | "description">;

function make<T extends FieldType, M extends FieldMode>(type: T, mode: M) {
  return <const E extends Extra>(description: string, extra?: E) =>
    ({ type, mode, description, ...(extra ?? ({} as E)) }) as { type: T; mode: M; description: string } & E;
}

/** Field builders: `required.string("…")`, `nullable.numeric("…")`. */
export const required = {
  string: make("STRING", "REQUIRED"),
  int64: make("INT64", "REQUIRED"),
  numeric: make("NUMERIC", "REQUIRED"),
  float64: make("FLOAT64", "REQUIRED"),
  bool: make("BOOL", "REQUIRED"),
  timestamp: make("TIMESTAMP", "REQUIRED"),
  date: make("DATE", "REQUIRED"),
  bytes: make("BYTES", "REQUIRED"),
  stringMap: make("STRING_MAP", "REQUIRED"),
};

export const nullable = {
  string: make("STRING", "NULLABLE"),
  int64: make("INT64", "NULLABLE"),
  numeric: make("NUMERIC", "NULLABLE"),
  float64: make("FLOAT64", "NULLABLE"),
  bool: make("BOOL", "NULLABLE"),
  timestamp: make("TIMESTAMP", "NULLABLE"),
  date: make("DATE", "NULLABLE"),
  bytes: make("BYTES", "NULLABLE"),
  stringMap: make("STRING_MAP", "NULLABLE"),
};
