import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

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
  repairMissingOrders: "repair/merge_missing_orders.sql",
} as const;

export type ReconciliationSql = Record<keyof typeof RECONCILIATION_SQL, string>;

/**
 * The sql/ folder: $STREAMLINE_SQL_DIR when set (a deployed bundle that puts it elsewhere), else the
 * nearest `sql/` above this file, which is the repository in development and the bundle root when
 * the function is packaged with its sql/ folder next to it.
 */
export function findSqlDir(from: string = __dirname, override = process.env.STREAMLINE_SQL_DIR): string {
  if (override) return override;
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "sql", RECONCILIATION_SQL.discrepancies))) return join(dir, "sql");
    if (dirname(dir) === dir) throw new Error(`no sql/ folder with ${RECONCILIATION_SQL.discrepancies} above ${from}; set STREAMLINE_SQL_DIR`);
  }
}

/** Reads every statement once (at cold start), so a missing file fails start-up, not a run. */
export function loadReconciliationSql(sqlDir: string = findSqlDir()): ReconciliationSql {
  return Object.fromEntries(
    Object.entries(RECONCILIATION_SQL).map(([key, file]) => [key, readFileSync(join(sqlDir, file), "utf8")]),
  ) as ReconciliationSql;
}
