import type { EnvConfig } from "../../config";
import { BigQueryWarehouse } from "../../functions/runtime/bigquery-warehouse";
import type { Warehouse } from "../../functions/runtime/warehouse";

/** The warehouse an operator command reads: BigQuery of the environment, or the local one. */
export async function openWarehouse(o: { target: "local" | "bigquery"; stateDir: string; project?: string }, config: EnvConfig): Promise<{ warehouse: Warehouse; close(): Promise<void> }> {
  if (o.target === "bigquery") {
    return { warehouse: new BigQueryWarehouse({ projectId: o.project ?? config.project, location: config.bigqueryLocation }), close: async () => {} };
  }
  // Loaded only for local runs: the ZetaSQL server is a local tool.
  const { startZetaSql } = await import("../../local/zetasql");
  const { LocalWarehouse } = await import("../../local/warehouse/local-warehouse");
  const { existingStateDir, warehouseDirOf } = await import("../../local/pipeline/state-dir");
  // The folder must exist: a mistyped path is an error, not an empty warehouse with nothing to replay.
  const stateDir = warehouseDirOf(existingStateDir(o.stateDir));
  const zetasql = await startZetaSql();
  return { warehouse: new LocalWarehouse({ stateDir, zetasql }), close: () => zetasql.close() };
}
