/** One row of sql/reconciliation/ledger_freshness.sql. */
export interface LedgerState {
  ledger_rows: number;
  /** expected_rows of the date's newest ledger.load_markers row; null when the export wrote none. */
  marker_expected_rows: number | null;
}

/** Whether the ledger of a date is complete enough to compare against, and if not, why. */
export type LedgerReadiness = { complete: true } | { complete: false; reason: string };

/**
 * Complete means: the export's load marker is there and ledger.orders holds exactly the rows it
 * announces. Rows without a marker are an export still running (or one that died): comparing them
 * would record a false `fail` as the date's result.
 */
export function ledgerReadiness(runDate: string, s: LedgerState | undefined): LedgerReadiness {
  const rows = Number(s?.ledger_rows ?? 0);
  const expected = s?.marker_expected_rows === null || s?.marker_expected_rows === undefined ? null : Number(s.marker_expected_rows);
  if (expected === null) return { complete: false, reason: `ledger.load_markers has no row for ${runDate} (ledger.orders holds ${rows} rows of it)` };
  if (rows !== expected) return { complete: false, reason: `ledger.orders holds ${rows} rows for ${runDate}, its load marker announces ${expected}` };
  return { complete: true };
}
