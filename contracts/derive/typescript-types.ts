import type { FieldDef, FieldType, Fields } from "../field";

/** TypeScript value type of each contract type, as rows travel in JSON (BigQuery insertAll / Pub/Sub). */
interface TsTypeOf {
  STRING: string;
  INT64: number;
  NUMERIC: string;
  FLOAT64: number;
  BOOL: boolean;
  TIMESTAMP: string;
  DATE: string;
  BYTES: string;
  STRING_MAP: Record<string, string>;
}

type ValueOf<F extends FieldDef> = F extends { enum: readonly (infer E)[] } ? E : TsTypeOf[F["type"] & FieldType];

type RequiredKeys<F extends Fields> = { [K in keyof F]: F[K]["mode"] extends "REQUIRED" ? K : never }[keyof F];
type NullableKeys<F extends Fields> = Exclude<keyof F, RequiredKeys<F>>;

/** The row type of a contract: required fields are present, nullable fields may be absent or null. */
export type RowOf<F extends Fields> = { -readonly [K in RequiredKeys<F>]: ValueOf<F[K]> } & {
  -readonly [K in NullableKeys<F>]?: ValueOf<F[K]> | null;
};

/** The row with every column present, nullable ones as null when unset: what a write of all columns takes. */
export type CompleteRowOf<F extends Fields> = {
  -readonly [K in keyof F]: F[K]["mode"] extends "REQUIRED" ? ValueOf<F[K]> : ValueOf<F[K]> | null;
};
