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
  /** Maximum string length (STRING only). */
  readonly maxLength?: number;
  /** Regular expression a STRING value must match. */
  readonly pattern?: string;
  /** Inclusive minimum (INT64 / FLOAT64 only). */
  readonly minimum?: number;
}

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
