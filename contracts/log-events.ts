/**
 * The structured log lines the functions write that the log-based metrics and alerts read
 * (stacks/constructs/log-metrics.ts): one definition for both sides, so renaming a field cannot
 * silently stop a metric. Each line is one JSON object; `event` names what happened, `alert` marks
 * an ERROR line that pages.
 */

/** Values of the `event` field. */
export const LOG_EVENTS = {
  /** One line per curated flush, carrying `freshness_p99_s`. */
  curatedFlush: "curated_flush",
  /** INFO line at the end of every completed reconciliation run: `status` and the drift ratios. */
  reconciliationFinished: "reconciliation_finished",
  /** ERROR line of a reconciliation run that failed. */
  reconciliationFailed: "reconciliation_failed",
  /** ERROR line of a parity canary that could not run (the run completes; the canary is not measured). */
  parityCanaryFailed: "parity_canary_failed",
} as const;

/** Values of the `alert` field (ERROR lines). */
export const LOG_ALERTS = {
  reconciliationDrift: "reconciliation_drift",
  reconciliationLateSource: "reconciliation_late_source",
  parityLostInEnrichment: "parity_lost_in_enrichment",
  parityMismatch: "parity_mismatch",
  /** On parity_canary_failed: which canary, by its discrepancy kind (lost_in_enrichment, parity_mismatch). */
  parityCanary: "canary",
} as const;

/** Fields of those lines that metrics extract. */
export const LOG_METRIC_FIELDS = {
  /** On curated_flush: p99 of ingest_time - occurred_at over the flushed rows, seconds. */
  freshnessP99: "freshness_p99_s",
  /** On reconciliation_finished: pass, warn or fail. */
  status: "status",
  /** On reconciliation_finished: |stream - ledger| / ledger of order counts. */
  countDriftRatio: "count_drift_ratio",
  /** On reconciliation_finished: |stream - ledger| / ledger of revenue. */
  revenueDriftRatio: "revenue_drift_ratio",
  /** On reconciliation_finished: raw-mirror events neither curated nor dead-lettered (absent when not measured). */
  lostInEnrichment: "lost_in_enrichment",
  /** On reconciliation_finished: sampled curated columns differing from their recompute (absent when not measured). */
  parityMismatch: "parity_mismatch",
  /** On parity_canary_failed: which canary, by its discrepancy kind (lost_in_enrichment, parity_mismatch). */
  parityCanary: "canary",
} as const;
