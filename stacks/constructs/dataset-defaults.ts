import type { EnvConfig } from "../../config";
import { tableId, type DatasetId } from "../../contracts/table";
import { TABLES } from "../../contracts/tables";
import type { AnyTableContract } from "./partitioned-table";

/** What each dataset holds (its BigQuery description). */
export const DATASET_DESCRIPTIONS: Readonly<Record<DatasetId, string>> = {
  raw: "Messages as published to Pub/Sub (BigQuery subscription mirror): replay and backfill source.",
  curated: "Validated, enriched commerce events written by the enrichment function.",
  ledger: "Batch exports of the transactional system: the source of truth for reconciliation.",
  ops: "Pipeline operations: dead letters and reconciliation runs.",
  ref: "Reference data used for enrichment (products, stores, FX rates).",
};

/**
 * Partition expiration of a contract table from config (days; null = keep forever; unpartitioned
 * tables: null). A partitioned table config does not mention is an error, not a silent default.
 */
export function tableExpirationDays(t: AnyTableContract, config: EnvConfig): number | null {
  if (t.partition === null) return null;
  const days = config.bigquery.partitionExpirationDays[tableId(t)];
  if (days === undefined) {
    throw new Error(`config "${config.environment}": bigquery.partitionExpirationDays has no entry for ${tableId(t)}`);
  }
  return days;
}

/**
 * Dataset default partition expiration, for tables created there outside Terraform (backfill copies,
 * scratch tables): the expiration its partitioned tables share, or null when they differ or keep data.
 */
export function datasetDefaultExpirationDays(dataset: DatasetId, config: EnvConfig): number | null {
  const values = TABLES.filter((t) => t.dataset === dataset && t.partition !== null).map((t) => tableExpirationDays(t, config));
  const distinct = new Set(values);
  return distinct.size === 1 ? values[0] : null;
}
