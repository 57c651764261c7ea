/**
 * What a BigQuery schema change does to a table, as the google provider applies it: adding
 * NULLABLE columns and relaxing REQUIRED -> NULLABLE happen in place; a type change, any other mode
 * change, a dropped column or an added REQUIRED column replace the table (its data is lost). Pure.
 */

export interface SchemaColumn {
  readonly name: string;
  readonly type: string;
  readonly mode?: string;
}

export type ColumnChangeKind = "added" | "dropped" | "type" | "mode";

export interface ColumnChange {
  readonly column: string;
  readonly kind: ColumnChangeKind;
  /** e.g. "column quantity INTEGER → STRING", "column note added (STRING NULLABLE)". */
  readonly text: string;
  /** Why the provider replaces the table, when it does; undefined when applied in place. */
  readonly replacesBecause?: string;
}

const modeOf = (c: SchemaColumn) => c.mode ?? "NULLABLE";

/** Column changes from `before` to `after`, in schema order (dropped columns first). */
export function columnChanges(before: readonly SchemaColumn[], after: readonly SchemaColumn[]): ColumnChange[] {
  const old = new Map(before.map((c) => [c.name, c]));
  const now = new Map(after.map((c) => [c.name, c]));
  const changes: ColumnChange[] = [];
  for (const c of before) {
    if (!now.has(c.name)) {
      changes.push({
        column: c.name,
        kind: "dropped",
        text: `column ${c.name} dropped (${c.type} ${modeOf(c)})`,
        replacesBecause: "the provider replaces the table to drop a column",
      });
    }
  }
  for (const c of after) {
    const prev = old.get(c.name);
    if (!prev) {
      const required = modeOf(c) === "REQUIRED";
      changes.push({
        column: c.name,
        kind: "added",
        text: `column ${c.name} added (${c.type} ${modeOf(c)})`,
        replacesBecause: required ? "the provider replaces the table to add a REQUIRED column" : undefined,
      });
      continue;
    }
    if (prev.type !== c.type) {
      changes.push({
        column: c.name,
        kind: "type",
        text: `column ${c.name} ${prev.type} → ${c.type}`,
        replacesBecause: "the provider replaces the table to change a column's type",
      });
    }
    if (modeOf(prev) !== modeOf(c)) {
      const relaxed = modeOf(prev) === "REQUIRED" && modeOf(c) === "NULLABLE";
      changes.push({
        column: c.name,
        kind: "mode",
        text: `column ${c.name} ${modeOf(prev)} → ${modeOf(c)}`,
        replacesBecause: relaxed ? undefined : "the provider replaces the table on a mode change other than REQUIRED → NULLABLE",
      });
    }
  }
  return changes;
}

/** Parses the `schema` attribute of a google_bigquery_table (a JSON string). */
export function parseTableSchema(schema: unknown, where: string): SchemaColumn[] {
  if (schema === undefined || schema === null) return [];
  const parsed: unknown = typeof schema === "string" ? JSON.parse(schema) : schema;
  if (!Array.isArray(parsed)) throw new Error(`${where}: schema is not a list of columns`);
  return parsed.map((c: unknown, i) => {
    const col = c as Partial<SchemaColumn>;
    if (typeof col?.name !== "string" || typeof col.type !== "string") throw new Error(`${where}: column ${i} has no name or type`);
    return { name: col.name, type: col.type, mode: col.mode };
  });
}
