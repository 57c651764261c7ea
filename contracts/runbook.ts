/**
 * Sections of docs/RUNBOOK.md that alerts link to (GitHub heading anchors): the stack writes them into
 * each alert's documentation, and a test checks each is a heading of the runbook.
 */
export const RUNBOOK_ANCHORS = {
  enrichmentLag: "enrichment-lag",
  deadLetters: "dead-letters-waiting",
  functionErrors: "function-errors",
  freshness: "freshness-p99",
  drift: "reconciliation-drift",
  failure: "reconciliation-failed",
  missingRun: "nightly-run-missing",
  parityLostInEnrichment: "parity-lost-in-enrichment",
  parityMismatch: "parity-recompute-mismatch",
} as const;

/** Where the runbook lives in the repository. */
export const RUNBOOK_PATH = "docs/RUNBOOK.md";

/** The repository link of a runbook section, as alerts carry it (`docs/RUNBOOK.md#reconciliation-drift`). */
export function runbookLink(anchor: string): string {
  return `${RUNBOOK_PATH}#${anchor}`;
}
