import { z } from "zod";
import { tableId, type TableId } from "../contracts/table";
import { TABLES } from "../contracts/tables";

/** `dataset.table` of every partitioned contract table: the keys of per-table partition settings. */
export const PARTITIONED_TABLE_IDS: readonly TableId[] = TABLES.filter((t) => t.partition !== null).map(tableId);

/**
 * A config map keyed by the contracts' table ids. A key naming no such table (a typo such as
 * "ops.dead_letter") is an error naming it; a table the map leaves out takes its value from `defaults`.
 */
export function perTableMap<V extends z.ZodType>(what: string, ids: readonly TableId[], value: V, defaults: Readonly<Record<string, z.output<V>>>) {
  const missingDefaults = ids.filter((id) => !(id in defaults));
  if (missingDefaults.length) throw new Error(`${what}: no default for ${missingDefaults.join(", ")}`);
  const shape = Object.fromEntries(ids.map((id) => [id, value.optional()]));
  return z
    .strictObject(shape, {
      error: (iss) =>
        iss.code === "unrecognized_keys" ? `unknown table ${iss.keys.map((k) => JSON.stringify(k)).join(", ")} in ${what}: the tables are ${ids.join(", ")}` : undefined,
    })
    .transform((given) => {
      const merged: Record<string, z.output<V>> = {};
      for (const id of ids) merged[id] = (given[id] as z.output<V> | undefined) ?? defaults[id];
      return merged as Record<TableId, z.output<V>>;
    });
}
