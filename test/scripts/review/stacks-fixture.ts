import { readSqlFiles } from "../../../scripts/review/sql-files";
import { PROJECT_ROOT, synthAllEnvironments } from "../../stacks/synth-pipeline";

type Json = Record<string, Record<string, Record<string, unknown>>>;

/** cdk.tf.json text of every environment, synthesized from this repository once per test file. */
export function shippedStacks(): Record<string, string> {
  const { stacks, cleanup } = synthAllEnvironments();
  try {
    return Object.fromEntries(Object.entries(stacks).map(([env, s]) => [env, s.json]));
  } finally {
    cleanup();
  }
}

/** A copy of one environment's stack, changed by `edit` (which gets the resource finder). */
export function editStack(json: string, edit: (find: (type: string, key: string, value: unknown) => Record<string, unknown>, tf: { resource: Json }) => void): string {
  const tf = JSON.parse(json) as { resource: Json };
  const find = (type: string, key: string, value: unknown) => {
    const found = Object.values(tf.resource[type] ?? {}).filter((r) => r[key] === value);
    if (found.length !== 1) throw new Error(`expected one ${type} with ${key}=${String(value)}, found ${found.length}`);
    return found[0];
  };
  edit(find, tf);
  return JSON.stringify(tf);
}

/** Edits the columns of a google_bigquery_table's schema attribute. */
export function editColumns(table: Record<string, unknown>, edit: (cols: { name: string; type: string; mode: string }[]) => void): void {
  const cols = JSON.parse(String(table.schema)) as { name: string; type: string; mode: string }[];
  edit(cols);
  table.schema = JSON.stringify(cols);
}

/** The repository's SQL files (path -> text), as the review reads them. */
export function repositorySql(): Record<string, string> {
  return readSqlFiles(PROJECT_ROOT);
}
