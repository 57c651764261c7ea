import { REFERENCE_SQL, type ReferenceQueries } from "../enrichment/reference-cache";
import { findSqlDir, loadSqlFiles } from "../runtime/sql-files";

/** The statements a reconciliation run executes, by file under sql/. */
export const RECONCILIATION_SQL = {
  ledgerFreshness: "reconciliation/ledger_freshness.sql",
  summary: "reconciliation/summary.sql",
  discrepancies: "reconciliation/discrepancies.sql",
  previousRuns: "reconciliation/previous_runs.sql",
  recordRun: "reconciliation/record_run.sql",
  recordDiscrepancies: "reconciliation/record_discrepancies.sql",
  supersedeRuns: "reconciliation/supersede_runs.sql",
  supersedeDiscrepancies: "reconciliation/supersede_discrepancies.sql",
  withdrawRun: "reconciliation/withdraw_run.sql",
  withdrawDiscrepancies: "reconciliation/withdraw_discrepancies.sql",
  repairMissingOrders: "repair/merge_missing_orders.sql",
  lostInEnrichment: "parity/lost_in_enrichment.sql",
  recomputeSample: "parity/recompute_sample.sql",
  // The recompute canary reads the reference tables with the enrichment's own statements.
  referenceProducts: REFERENCE_SQL.products,
  referenceStores: REFERENCE_SQL.stores,
  referenceFxRates: REFERENCE_SQL.fxRates,
} as const;

export type ReconciliationSql = Record<keyof typeof RECONCILIATION_SQL, string>;

/** Reads every statement once (at cold start), so a missing file fails start-up, not a run. */
export function loadReconciliationSql(sqlDir: string = findSqlDir(RECONCILIATION_SQL.discrepancies)): ReconciliationSql {
  return loadSqlFiles(RECONCILIATION_SQL, sqlDir);
}

/** The reference statements among them, as the enrichment's loader takes them. */
export function referenceQueries(sql: ReconciliationSql): ReferenceQueries {
  return { products: sql.referenceProducts, stores: sql.referenceStores, fxRates: sql.referenceFxRates };
}
