import type { FieldDef, FieldType, Fields } from "../field";

export interface BigQueryField {
  name: string;
  type: string;
  mode: "REQUIRED" | "NULLABLE";
  description: string;
}

// Legacy type names: the BigQuery API answers with these, so using them keeps Terraform plans free of
// spurious schema diffs (INT64 -> INTEGER and the like).
const BIGQUERY_TYPE: Record<FieldType, string> = {
  STRING: "STRING",
  INT64: "INTEGER",
  NUMERIC: "NUMERIC",
  FLOAT64: "FLOAT",
  BOOL: "BOOLEAN",
  TIMESTAMP: "TIMESTAMP",
  DATE: "DATE",
  BYTES: "BYTES",
  STRING_MAP: "JSON",
};

export function toBigQueryField(name: string, f: FieldDef): BigQueryField {
  return { name, type: BIGQUERY_TYPE[f.type], mode: f.mode, description: f.description };
}

/** BigQuery table schema (the JSON `google_bigquery_table.schema` takes), in contract field order. */
export function toBigQuerySchema(fields: Fields): BigQueryField[] {
  return Object.entries(fields).map(([name, f]) => toBigQueryField(name, f));
}
