import type { Fields } from "./field";

export type DatasetId = "raw" | "curated" | "ledger" | "ops" | "ref";

export interface TableContract<F extends Fields = Fields> {
  readonly dataset: DatasetId;
  readonly table: string;
  readonly description: string;
  readonly fields: F;
  /** Time partitioning on a business date/timestamp column; null only for small `ref` tables. */
  readonly partition: { readonly field: keyof F & string; readonly granularity: "DAY" | "HOUR" } | null;
  /** Clustering keys, most selective filter first (BigQuery allows at most 4). */
  readonly clustering: readonly (keyof F & string)[];
  /** Large tables require a partition filter on every query (BigQuery `require_partition_filter`). */
  readonly large: boolean;
}

/** `dataset.table`, the key config uses for per-table settings such as partition expiration. */
export type TableId = `${DatasetId}.${string}`;

export function tableId(t: Pick<TableContract, "dataset" | "table">): TableId {
  return `${t.dataset}.${t.table}`;
}

/** Declares a table, keeping field names literal so partition and cluster keys are type-checked. */
export function defineTable<const F extends Fields>(t: TableContract<F>): TableContract<F> {
  return t;
}
