import { BigqueryTable } from "@cdktf/provider-google/lib/bigquery-table";
import { Construct } from "constructs";
import { readFileSync } from "node:fs";
import { check } from "./construct-error";
import type { Dataset } from "./dataset";
import type { ResourceLabels } from "./labels";
import { qualifyTableRefs } from "./qualify-table-refs";

export interface BigqueryViewProps {
  /** Dataset the view lives in; its project is the one table references are pinned to. */
  readonly dataset: Dataset;
  /** View id, e.g. "commerce_events_dedup". */
  readonly viewId: string;
  /** One line saying what the view returns. */
  readonly description: string;
  /** Absolute path of the view's SQL file (standard SQL, tables named `dataset.table` in backticks). */
  readonly sqlFile: string;
  /** Dataset ids whose backticked references get the project prefix, e.g. ["raw", "curated"]. */
  readonly datasets: readonly string[];
  /** Terraform refuses to destroy the view when true. */
  readonly deletionProtection: boolean;
  /** Labels for the view (config labels + env). */
  readonly labels: ResourceLabels;
}

/** A standard-SQL view whose query text lives in sql/, so ZetaSQL tests check the same text that deploys. */
export class BigqueryView extends Construct {
  readonly view: BigqueryTable;

  constructor(scope: Construct, id: string, props: BigqueryViewProps) {
    super(scope, id);
    let sql: string;
    try {
      sql = readFileSync(props.sqlFile, "utf8");
    } catch {
      throw new Error(`${this.node.path}: cannot read the view's SQL file ${props.sqlFile}`);
    }
    check(this, sql.trim().length > 0, `the view's SQL file ${props.sqlFile} is empty`);

    this.view = new BigqueryTable(this, "view", {
      project: props.dataset.project,
      datasetId: props.dataset.dataset.datasetId,
      tableId: props.viewId,
      description: props.description,
      view: { query: qualifyTableRefs(sql, props.dataset.project, props.datasets), useLegacySql: false },
      deletionProtection: props.deletionProtection,
      labels: { ...props.labels },
    });
  }
}
