import { REFERENCE_SQL, type ReferenceQueries } from "../enrichment/reference-cache";
import { sqlStatementsLoader } from "../runtime/sql-files";

/** The statements a reconciliation run executes, by file under sql/, read once at cold start (a missing file fails start-up, not a run). */
export const loadReconciliationSql = sqlStatementsLoader({
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
});
export type ReconciliationSql = ReturnType<typeof loadReconciliationSql>;

/** The reference statements among them, as the enrichment's loader takes them. */
export function referenceQueries(sql: ReconciliationSql): ReferenceQueries {
  return { products: sql.referenceProducts, stores: sql.referenceStores, fxRates: sql.referenceFxRates };
}
