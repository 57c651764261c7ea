import type { Schema } from "avsc";
import { avroCompatibility } from "./avro-compatibility";
import { columnChanges, type SchemaColumn } from "./column-changes";
import type { Hazard } from "./hazard";
import { sqlReading } from "./hazards";

/** Schemas as released (or as the contracts say today): BigQuery columns per `dataset.table`, Avro per Pub/Sub schema name. */
export interface SchemaSet {
  readonly tables: Readonly<Record<string, readonly SchemaColumn[]>>;
  readonly avro: Readonly<Record<string, Schema>>;
}

export interface SchemaEvolution {
  /** DATA LOSS and BREAKING changes, named like `npm run review` names them (one acknowledgement covers both). */
  readonly hazards: Hazard[];
  /** Changes applied in place, e.g. "table curated.commerce_events · column note added (STRING NULLABLE)". */
  readonly additive: string[];
}

/** Compares today's schemas with the released ones. Pure. */
export function schemaEvolution(released: SchemaSet, current: SchemaSet, sqlFiles: Readonly<Record<string, string>>): SchemaEvolution {
  const hazards: Hazard[] = [];
  const additive: string[] = [];
  for (const [id, before] of Object.entries(released.tables)) {
    const subject = `table ${id}`;
    const after = current.tables[id];
    if (!after) {
      hazards.push({ class: "DATA LOSS", subject, what: "table removed", why: "Terraform deletes the table and every row in it" });
      continue;
    }
    for (const c of columnChanges(before, after)) {
      if (c.replacesBecause) hazards.push({ class: "DATA LOSS", subject, what: c.text, why: `${c.replacesBecause}: its rows are lost` });
      else additive.push(`${subject} · ${c.text}`);
      if (c.kind === "dropped") {
        const readers = sqlReading(sqlFiles, id.split(".")[1], c.column);
        if (readers.length > 0) {
          hazards.push({ class: "BREAKING", subject, what: `${c.text}, still read by ${readers.join(", ")}`, why: "the SQL fails with an unrecognized name once the column is gone" });
        }
      }
    }
  }
  for (const id of Object.keys(current.tables)) if (!released.tables[id]) additive.push(`table ${id} · added`);
  for (const [name, before] of Object.entries(released.avro)) {
    const subject = `schema ${name}`;
    const after = current.avro[name];
    if (!after) {
      hazards.push({ class: "BREAKING", subject, what: "schema removed", why: "publishers validated against it lose their contract" });
      continue;
    }
    const compat = avroCompatibility(before, after);
    if (compat.problems.length > 0) hazards.push({ class: "BREAKING", subject, what: `Avro ${compat.fieldChanges.join("; ") || "definition changed"}`, why: compat.problems.join("; ") });
    else additive.push(...compat.fieldChanges.map((f) => `${subject} · Avro ${f}`));
  }
  return { hazards, additive };
}
