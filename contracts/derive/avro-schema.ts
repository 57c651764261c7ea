import type { FieldDef, FieldType, Fields } from "../field";

type AvroType = string | { type: "map"; values: "string" };

// Pub/Sub topics use JSON encoding, so NUMERIC, TIMESTAMP and DATE travel as strings (decimal,
// RFC 3339, YYYY-MM-DD): exact, human-readable, and what BigQuery's JSON ingestion accepts.
export const AVRO_TYPE: Record<FieldType, AvroType> = {
  STRING: "string",
  INT64: "long",
  NUMERIC: "string",
  FLOAT64: "double",
  BOOL: "boolean",
  TIMESTAMP: "string",
  DATE: "string",
  BYTES: "bytes",
  STRING_MAP: { type: "map", values: "string" },
};

export interface AvroField {
  name: string;
  doc: string;
  type: AvroType | ["null", AvroType];
  default?: null;
}

export interface AvroRecord {
  type: "record";
  name: string;
  namespace: string;
  doc: string;
  fields: AvroField[];
}

function toAvroField(name: string, f: FieldDef): AvroField {
  const t = AVRO_TYPE[f.type];
  return f.mode === "REQUIRED" ? { name, doc: f.description, type: t } : { name, doc: f.description, type: ["null", t], default: null };
}

/** Avro record schema for a Pub/Sub topic schema (`google_pubsub_schema`, type AVRO). */
export function toAvroSchema(recordName: string, doc: string, fields: Fields): AvroRecord {
  return {
    type: "record",
    name: recordName,
    namespace: "streamline.contracts",
    doc,
    fields: Object.entries(fields).map(([name, f]) => toAvroField(name, f)),
  };
}
