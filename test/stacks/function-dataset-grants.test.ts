import { ENVIRONMENTS } from "../../config";
import { DATASETS } from "../../contracts/tables";
import { loadReconciliationSql } from "../../functions/reconciliation/sql-files";
import { iamAllowListLines, TerraformView } from "../../stacks/guardrails";
import { synthShippedStacks } from "./guardrails/shipped-stacks";

// A function whose service account cannot read a dataset its SQL reads fails only in the cloud (a
// parity canary would be recorded as not measured, night after night). The grants are read off each
// environment's synthesized stack; the datasets off the SQL the function loads.
const shipped = synthShippedStacks();
afterAll(() => shipped.cleanup());

const DATASET_REF = new RegExp(`\\b(${DATASETS.join("|")})\\.[a-z_]+\\b`, "g");

/** Datasets a statement reads or writes, comments aside. */
function datasetsOf(sql: string): string[] {
  return [...new Set([...sql.replace(/--.*$/gm, "").matchAll(DATASET_REF)].map((m) => m[1]))].sort();
}

test("finds the datasets a statement names, not those in its comments", () => {
  expect(datasetsOf("-- reads ledger.orders\nSELECT * FROM raw.commerce_events JOIN curated.commerce_events_dedup USING (x)")).toEqual(["curated", "raw"]);
});

test.each(ENVIRONMENTS)("%s: the reconciliation's service account holds a role on every dataset its SQL reads", (env) => {
  const s = shipped.stacks[env];
  const datasetGrants = iamAllowListLines(env, new TerraformView(s.id, s.tf))
    .map((line) => line.split(" | "))
    .filter(([, type, , , member]) => type === "google_bigquery_dataset_iam_member" && member.startsWith("serviceAccount:fn-reconciliation@"))
    .map(([, , target]) => target.replace(/^dataset_id=/, ""));
  const read = datasetsOf(Object.values(loadReconciliationSql()).join("\n"));
  expect(read).toContain("raw");
  expect(read.filter((d) => !datasetGrants.includes(d))).toEqual([]);
});
