import { BigqueryTable } from "@cdktf/provider-google/lib/bigquery-table";
import { Construct } from "constructs";
import { DAY_MS } from "../../config/calendar-date";
import { MAX_CLUSTERING_KEYS } from "../../config/gcp-limits";
import { toBigQuerySchema } from "../../contracts/derive/bigquery-schema";
import type { TableContract } from "../../contracts/table";
import { check } from "./construct-error";
import type { Dataset } from "./dataset";
import type { ResourceLabels } from "./labels";

/** Any table contract (a Pick, so contracts with literal field names are assignable). */
export type AnyTableContract = Pick<TableContract, keyof TableContract>;

export interface PartitionedTableProps {
  /** The dataset the table lives in; must match the contract's dataset. */
  readonly dataset: Dataset;
  /** The table's contract: schema, partition column (null = unpartitioned, small ref tables only), clustering, `large`. */
  readonly contract: AnyTableContract;
  /** Partition expiration in days; null = partitions kept forever. Ignored for unpartitioned tables. */
  readonly partitionExpirationDays: number | null;
  /** Terraform refuses to destroy the table when true. */
  readonly deletionProtection: boolean;
  /** Labels for the table (config labels + env). */
  readonly labels: ResourceLabels;
}

/**
 * A BigQuery table built from its contract: schema, time partitioning on the business date (DAY or
 * HOUR) with expiration, clustering, and a required partition filter on large tables.
 */
export class PartitionedTable extends Construct {
  readonly table: BigqueryTable;
  /** `project.dataset.table` as a literal, the form BigQuery subscriptions take (readable in plans and locally). */
  readonly qualifiedName: string;

  constructor(scope: Construct, id: string, props: PartitionedTableProps) {
    super(scope, id);
    const c = props.contract;
    const columns = Object.keys(c.fields);
    check(this, c.dataset === props.dataset.datasetId, `contract dataset "${c.dataset}" differs from dataset "${props.dataset.datasetId}"`);
    check(this, c.partition !== null || c.dataset === "ref", `only ref tables may be unpartitioned, ${c.dataset}.${c.table} has no partition`);
    if (c.partition) {
      const type = c.fields[c.partition.field]?.type;
      check(this, type === "DATE" || type === "TIMESTAMP", `partition column "${c.partition.field}" must be a DATE or TIMESTAMP column, found ${type ?? "no such column"}`);
      check(this, !(c.partition.granularity === "HOUR" && type === "DATE"), `HOUR partitioning needs a TIMESTAMP column, "${c.partition.field}" is a DATE`);
    }
    check(this, c.clustering.length <= MAX_CLUSTERING_KEYS, `at most ${MAX_CLUSTERING_KEYS} clustering keys, got ${c.clustering.length}`);
    const unknown = c.clustering.filter((k) => !columns.includes(k));
    check(this, unknown.length === 0, `clustering keys not in the schema: ${unknown.join(", ")}`);
    const days = props.partitionExpirationDays;
    check(this, days === null || (Number.isInteger(days) && days >= 1), `partitionExpirationDays ${days} must be a positive integer or null`);

    this.table = new BigqueryTable(this, "table", {
      project: props.dataset.project,
      datasetId: props.dataset.dataset.datasetId,
      tableId: c.table,
      description: c.description,
      schema: JSON.stringify(toBigQuerySchema(c.fields)),
      timePartitioning: c.partition
        ? { type: c.partition.granularity, field: c.partition.field, expirationMs: days === null ? undefined : days * DAY_MS }
        : undefined,
      requirePartitionFilter: c.partition && c.large ? true : undefined,
      clustering: c.clustering.length > 0 ? [...c.clustering] : undefined,
      deletionProtection: props.deletionProtection,
      labels: { ...props.labels },
    });
    this.qualifiedName = `${props.dataset.project}.${c.dataset}.${c.table}`;
  }
}
