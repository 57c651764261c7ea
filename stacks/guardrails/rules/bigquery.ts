import { MAX_CLUSTERING_KEYS } from "../../../config/gcp-limits";
import { DATASETS, TABLES, type DatasetId } from "../../../contracts";
import { finding, type GuardrailRule, type RuleContext } from "../rule";
import { asString, asStringList, block } from "../../terraform-json";
import type { TfBlock } from "../terraform-view";


/** A table resource with the dataset and contract it belongs to. */
interface TableFacts {
  readonly table: TfBlock;
  readonly datasetId: string | undefined;
  /** raw, curated, ledger, ops or ref: the dataset id itself or its `_<kind>` suffix (e.g. `streamline_raw`). */
  readonly kind: DatasetId | undefined;
  readonly dataset: TfBlock | undefined;
  readonly large: boolean;
}

function tables(ctx: RuleContext): TableFacts[] {
  return ctx.view
    .ofType("google_bigquery_table")
    .filter((t) => block(t.config.view) === undefined) // logical views cannot be partitioned or protected
    .map((table) => {
      const dataset = ctx.view.deref(table.config.dataset_id);
      const datasetId = asString(dataset?.config.dataset_id) ?? asString(table.config.dataset_id);
      const kind = DATASETS.find((d) => datasetId === d || datasetId?.endsWith(`_${d}`));
      const contract = TABLES.find((c) => c.dataset === kind && c.table === table.config.table_id);
      return { table, datasetId, kind, dataset, large: contract?.large ?? false };
    });
}

const isPartitioned = (t: TfBlock) => block(t.config.time_partitioning) !== undefined || block(t.config.range_partitioning) !== undefined;

export const tablePartitioned: GuardrailRule = {
  id: "BQ-001",
  title: "Non-ref tables are partitioned",
  rationale: "An unpartitioned event table is scanned whole by every query: cost and latency grow with history.",
  fix: "Declare `partition` in the table's contract (contracts/tables.ts); PartitionedTable turns it into time_partitioning.",
  check(ctx) {
    return tables(ctx)
      .filter((f) => f.kind !== "ref" && !isPartitioned(f.table))
      .map((f) => finding(this, f.table, `table ${f.datasetId}.${String(f.table.config.table_id)} is not partitioned`));
  },
};

export const tableClustered: GuardrailRule = {
  id: "BQ-002",
  title: `Non-ref tables are clustered on 1-${MAX_CLUSTERING_KEYS} keys`,
  rationale: `Clustering prunes blocks on the common filters; BigQuery accepts at most ${MAX_CLUSTERING_KEYS} clustering columns.`,
  fix: `Declare 1-${MAX_CLUSTERING_KEYS} \`clustering\` keys in the table's contract (contracts/tables.ts), most selective filter first.`,
  check(ctx) {
    return tables(ctx).flatMap((f) => {
      const keys = asStringList(f.table.config.clustering);
      if (keys.length > MAX_CLUSTERING_KEYS) return [finding(this, f.table, `has ${keys.length} clustering keys (max ${MAX_CLUSTERING_KEYS})`)];
      if (f.kind !== "ref" && keys.length === 0) return [finding(this, f.table, "is not clustered")];
      return [];
    });
  },
};

export const partitionExpiration: GuardrailRule = {
  id: "BQ-003",
  title: "raw and ops tables expire old partitions",
  rationale: "The raw mirror and ops tables are operational, not the record: without expiration they grow (and bill) forever.",
  fix: "Set config bigquery.partitionExpirationDays['<dataset>.<table>'] (becomes time_partitioning.expiration_ms).",
  check(ctx) {
    return tables(ctx)
      .filter((f) => f.kind === "raw" || f.kind === "ops")
      .filter((f) => {
        const tableMs = Number(block(f.table.config.time_partitioning)?.expiration_ms ?? 0);
        const datasetMs = Number(f.dataset?.config.default_partition_expiration_ms ?? 0);
        return !(tableMs > 0 || datasetMs > 0);
      })
      .map((f) => finding(this, f.table, `${f.kind} table ${f.datasetId}.${String(f.table.config.table_id)} has no partition expiration`));
  },
};

export const requirePartitionFilter: GuardrailRule = {
  id: "BQ-004",
  title: "Large tables require a partition filter",
  rationale: "A query without a partition filter on a large table scans every partition; require_partition_filter makes BigQuery refuse it.",
  fix: "Set require_partition_filter = true (PartitionedTable does it for contracts marked `large: true`).",
  check(ctx) {
    return tables(ctx)
      .filter((f) => f.large)
      .filter((f) => f.table.config.require_partition_filter !== true && block(f.table.config.time_partitioning)?.require_partition_filter !== true)
      .map((f) => finding(this, f.table, `table ${f.datasetId}.${String(f.table.config.table_id)} is marked large in its contract but does not require a partition filter`));
  },
};

export const prodDeletionProtection: GuardrailRule = {
  id: "BQ-005",
  title: "prod tables have deletion protection",
  rationale: "A replaced or destroyed prod table loses data no replay can restore (the raw mirror itself is a table).",
  fix: "Set deletion_protection = true (config deletionProtection: true) and never delete_contents_on_destroy on prod datasets.",
  checkov: ["CKV_GCP_121"],
  check(ctx) {
    if (ctx.environment !== "prod") return [];
    const unprotected = tables(ctx)
      .filter((f) => f.table.config.deletion_protection !== true)
      .map((f) => finding(this, f.table, "has no deletion_protection = true"));
    const wipeable = ctx.view
      .ofType("google_bigquery_dataset")
      .filter((d) => d.config.delete_contents_on_destroy === true)
      .map((d) => finding(this, d, "sets delete_contents_on_destroy = true"));
    return [...unprotected, ...wipeable];
  },
};

export const BIGQUERY_RULES = [tablePartitioned, tableClustered, partitionExpiration, requirePartitionFilter, prodDeletionProtection];
