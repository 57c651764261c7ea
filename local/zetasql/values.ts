import { DAY_MS } from "../../config/calendar-date";
import { decodeNumeric, encodeNumeric } from "./numeric";
import type { ZetaType } from "./types";

/** ZetaSQL `ValueProto` as the gRPC client exchanges it; an empty object is NULL. */
export type ValueProto = Record<string, unknown>;

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP_TEXT = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i;

/** 'YYYY-MM-DD' -> days since 1970-01-01 (ZetaSQL date_value). */
function dateToDays(date: string): number {
  const m = DATE_TEXT.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).getUTCDate() !== Number(m[3])) throw new Error(`not a DATE 'YYYY-MM-DD': ${JSON.stringify(date)}`);
  return ms / DAY_MS;
}

function daysToDate(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

/** RFC 3339 (any offset, up to nanoseconds) -> {seconds, nanos} since the epoch. */
function timestampToProto(ts: string): { seconds: string; nanos: number } {
  const m = TIMESTAMP_TEXT.exec(ts);
  const ms = m ? Date.parse(`${m[1]}T${m[2]}${m[4].toUpperCase()}`) : NaN;
  if (!m || Number.isNaN(ms)) throw new Error(`not an RFC 3339 TIMESTAMP: ${JSON.stringify(ts)}`);
  return { seconds: String(ms / 1000), nanos: Number((m[3] ?? "").padEnd(9, "0")) };
}

/** {seconds, nanos} -> RFC 3339 in UTC, fraction trimmed ("2024-01-02T03:04:05.678Z"). */
function protoToTimestamp(t: { seconds?: string | number; nanos?: number }): string {
  const base = new Date(Number(t.seconds ?? 0) * 1000).toISOString().slice(0, 19);
  const frac = String(t.nanos ?? 0).padStart(9, "0").replace(/0+$/, "");
  return `${base}${frac ? `.${frac}` : ""}Z`;
}

/** A plain JS value (as rows travel in JSON) -> ValueProto of the given type. */
export function encodeValue(value: unknown, type: ZetaType): ValueProto {
  if (value === null || value === undefined) return {};
  switch (type.type_kind) {
    case "TYPE_STRING":
      if (typeof value !== "string") break;
      return { string_value: value };
    case "TYPE_INT64":
      if (!(typeof value === "number" && Number.isInteger(value)) && !(typeof value === "string" && /^-?\d+$/.test(value)) && typeof value !== "bigint") break;
      return { int64_value: String(value) };
    case "TYPE_DOUBLE":
      if (typeof value !== "number") break;
      return { double_value: value };
    case "TYPE_BOOL":
      if (typeof value !== "boolean") break;
      return { bool_value: value };
    case "TYPE_NUMERIC":
      if (typeof value !== "string" && typeof value !== "number") break;
      return { numeric_value: encodeNumeric(value) };
    case "TYPE_DATE":
      if (typeof value !== "string") break;
      return { date_value: dateToDays(value) };
    case "TYPE_TIMESTAMP":
      if (typeof value !== "string") break;
      return { timestamp_value: timestampToProto(value) };
    case "TYPE_BYTES":
      if (typeof value === "string") return { bytes_value: Buffer.from(value, "base64") };
      if (value instanceof Uint8Array) return { bytes_value: Buffer.from(value) };
      break;
    case "TYPE_JSON":
      return { json_value: typeof value === "string" ? value : JSON.stringify(value) };
    case "TYPE_ARRAY":
      if (!Array.isArray(value)) break;
      return { array_value: { element: value.map((v) => encodeValue(v, type.array_type!.element_type)) } };
    default:
      throw new Error(`cannot encode a value of ZetaSQL type ${type.type_kind}`);
  }
  throw new Error(`expected a ${describe(type)}, got ${JSON.stringify(value)}`);
}

/** ValueProto -> plain JS: NUMERIC as decimal string, DATE 'YYYY-MM-DD', TIMESTAMP RFC 3339, INT64 as number, BYTES base64. */
export function decodeValue(v: ValueProto | undefined, type: ZetaType): unknown {
  if (!v) return null;
  switch (type.type_kind) {
    case "TYPE_STRING":
      return v.string_value ?? null;
    case "TYPE_INT64":
      return v.int64_value === undefined ? null : Number(v.int64_value);
    case "TYPE_DOUBLE":
      return v.double_value ?? null;
    case "TYPE_BOOL":
      return v.bool_value ?? null;
    case "TYPE_NUMERIC":
      return v.numeric_value === undefined ? null : decodeNumeric(v.numeric_value as Uint8Array);
    case "TYPE_DATE":
      return v.date_value === undefined ? null : daysToDate(v.date_value as number);
    case "TYPE_TIMESTAMP":
      return v.timestamp_value === undefined ? null : protoToTimestamp(v.timestamp_value as { seconds: string; nanos: number });
    case "TYPE_BYTES":
      return v.bytes_value === undefined ? null : Buffer.from(v.bytes_value as Uint8Array).toString("base64");
    case "TYPE_JSON":
      return v.json_value ?? null;
    case "TYPE_ARRAY": {
      const arr = v.array_value as { element?: ValueProto[] } | undefined;
      return arr === undefined ? null : (arr.element ?? []).map((e) => decodeValue(e, type.array_type!.element_type));
    }
    case "TYPE_STRUCT": {
      const st = v.struct_value as { field?: ValueProto[] } | undefined;
      if (st === undefined) return null;
      const fields = type.struct_type?.field ?? [];
      return Object.fromEntries(fields.map((f, i) => [f.field_name || `_field_${i + 1}`, decodeValue(st.field?.[i], f.field_type)]));
    }
    default:
      throw new Error(`cannot decode a value of ZetaSQL type ${type.type_kind}`);
  }
}

function describe(type: ZetaType): string {
  return type.type_kind.replace(/^TYPE_/, "").replace("DOUBLE", "FLOAT64");
}
