import { Type, type Schema } from "avsc";

/**
 * Whether a Pub/Sub Avro schema revision keeps publishers and readers working: messages written
 * with either schema must resolve with the other (avsc `createResolver`, both ways). Pure.
 */
export interface AvroCompatibility {
  /** Field-level differences, e.g. "field quantity null|long → null|string", "field note added". */
  readonly fieldChanges: string[];
  /** Why it is incompatible; empty when both directions resolve. */
  readonly problems: string[];
}

export function avroCompatibility(before: Schema, after: Schema): AvroCompatibility {
  const problems: string[] = [];
  const oldType = Type.forSchema(before);
  const newType = Type.forSchema(after);
  try {
    newType.createResolver(oldType);
  } catch (err) {
    problems.push(`readers on the new schema cannot read messages published with the old one (${firstLine(err)})`);
  }
  try {
    oldType.createResolver(newType);
  } catch (err) {
    problems.push(`readers on the old schema cannot read messages published with the new one (${firstLine(err)})`);
  }
  return { fieldChanges: fieldChanges(before, after), problems };
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0];
}

interface AvroRecordField {
  name: string;
  type: unknown;
}

function fieldsOf(schema: Schema): AvroRecordField[] {
  const s = schema as { fields?: AvroRecordField[] };
  return Array.isArray(s.fields) ? s.fields : [];
}

/** "null|long", "string", "enum", "map<string>". */
function typeText(t: unknown): string {
  if (typeof t === "string") return t;
  if (Array.isArray(t)) return t.map(typeText).join("|");
  const o = t as { type?: string; logicalType?: string; values?: unknown; items?: unknown; symbols?: string[] };
  if (o.logicalType) return `${o.type}(${o.logicalType})`;
  if (o.type === "map") return `map<${typeText(o.values)}>`;
  if (o.type === "array") return `array<${typeText(o.items)}>`;
  if (o.type === "enum") return `enum(${(o.symbols ?? []).join(",")})`;
  return String(o.type);
}

function fieldChanges(before: Schema, after: Schema): string[] {
  const old = new Map(fieldsOf(before).map((f) => [f.name, f]));
  const now = new Map(fieldsOf(after).map((f) => [f.name, f]));
  const out: string[] = [];
  for (const f of old.values()) if (!now.has(f.name)) out.push(`field ${f.name} removed`);
  for (const f of now.values()) {
    const prev = old.get(f.name);
    if (!prev) out.push(`field ${f.name} added (${typeText(f.type)})`);
    else if (typeText(prev.type) !== typeText(f.type)) out.push(`field ${f.name} ${typeText(prev.type)} → ${typeText(f.type)}`);
  }
  return out;
}
