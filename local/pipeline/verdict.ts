import type { PipelineReport } from "./report";

/** Run statuses that are a reconciliation result (an `error` or missing run is a failed local run). */
const RESULT_STATUSES = new Set(["pass", "warn", "fail"]);

/**
 * Why a local run failed, one line per reason; empty when it did what it should. `npm start` exits
 * non-zero and prints these when there are any.
 */
export function runProblems(r: PipelineReport): string[] {
  const problems: string[] = [];
  if (!r.drained) problems.push("the subscriptions did not drain before the timeout");
  if (!r.balanced) {
    problems.push(`counts do not balance: published ${r.published} != curated ${r.curated} + dead letters ${r.dead_lettered} + duplicates dropped ${r.duplicates_dropped}`);
  }
  if (r.poison.dead_lettered_with_reason !== r.poison.injected) {
    problems.push(`injected poison not all dead-lettered with a reason: ${r.poison.dead_lettered_with_reason} of ${r.poison.injected} (missing e.g. ${r.poison.missing.slice(0, 3).join(", ")})`);
  }
  const run = r.reconciliation_run;
  if (!run) problems.push("no reconciliation run was recorded");
  else if (!RESULT_STATUSES.has(run.status)) problems.push(`the reconciliation run ${run.run_id} ended in ${run.status}`);
  else {
    const off = (Object.keys(r.expected_discrepancies) as (keyof PipelineReport["expected_discrepancies"])[])
      .filter((k) => r.reconciliation[k] !== r.expected_discrepancies[k])
      .map((k) => `${k} found ${r.reconciliation[k]}, injected ${r.expected_discrepancies[k]}`);
    if (off.length > 0) problems.push(`the reconciliation did not find exactly the injected drift: ${off.join("; ")}`);
  }
  return problems;
}
