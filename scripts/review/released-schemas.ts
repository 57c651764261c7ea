import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Schema } from "avsc";
import { toBigQuerySchema } from "../../contracts/derive/bigquery-schema";
import { commerceEventAvroSchema } from "../../contracts/schemas";
import { tableId } from "../../contracts/table";
import { TABLES } from "../../contracts/tables";
import type { SchemaColumn } from "./column-changes";
import type { SchemaSet } from "./schema-evolution";

/** Where the released schemas are committed, next to the acknowledgements they are judged with. */
export const RELEASED_DIR = join("migrations", "released");

// The Pub/Sub schema resource name of the commerce-events topic, as the stack names it (stacks/pipeline-stack.ts).
const COMMERCE_EVENT_SCHEMA = "commerce-event";

/** The schemas the contracts define today. */
export function currentSchemas(): SchemaSet {
  const tables: Record<string, SchemaColumn[]> = {};
  for (const t of TABLES) tables[tableId(t)] = toBigQuerySchema(t.fields);
  return { tables, avro: { [COMMERCE_EVENT_SCHEMA]: commerceEventAvroSchema as unknown as Schema } };
}

/** Reads migrations/released/{bigquery,avro}/*.json. */
export function readReleasedSchemas(repo: string): SchemaSet {
  const read = (sub: string) => {
    const dir = join(repo, RELEASED_DIR, sub);
    if (!existsSync(dir)) return {};
    return Object.fromEntries(
      readdirSync(dir)
        .filter((f) => f.endsWith(".json"))
        .map((f) => [f.slice(0, -".json".length), JSON.parse(readFileSync(join(dir, f), "utf8")) as unknown]),
    );
  };
  return { tables: read("bigquery") as SchemaSet["tables"], avro: read("avro") as SchemaSet["avro"] };
}

/** Writes a schema set as one file per table and per Avro schema (each written whole, then renamed into place). */
export function writeReleasedSchemas(repo: string, schemas: SchemaSet): string[] {
  const written: string[] = [];
  const write = (sub: string, name: string, value: unknown) => {
    const dir = join(repo, RELEASED_DIR, sub);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${name}.json`);
    writeFileSync(`${file}.tmp-${process.pid}`, JSON.stringify(value, null, 2) + "\n");
    renameSync(`${file}.tmp-${process.pid}`, file);
    written.push(join(RELEASED_DIR, sub, `${name}.json`));
  };
  for (const [id, cols] of Object.entries(schemas.tables)) write("bigquery", id, cols);
  for (const [name, schema] of Object.entries(schemas.avro)) write("avro", name, schema);
  return written;
}
