import { NIGHTLY_RECONCILE_REQUEST } from "../../contracts/reconcile-request";
import { resolveRunDate } from "../../functions/reconciliation/run-date";

// The stack publishes the contract's message; until the function imports the contract too, check it
// still understands it: the nightly 02:30 Amsterdam run reconciles the Amsterdam yesterday.
test("the reconciliation function resolves the nightly schedule's message to the previous local day", () => {
  const firedAt = new Date("2026-03-01T01:30:00Z"); // 02:30 in Amsterdam
  expect(resolveRunDate(NIGHTLY_RECONCILE_REQUEST.run_date, firedAt, "Europe/Amsterdam")).toBe("2026-02-28");
  expect(resolveRunDate(NIGHTLY_RECONCILE_REQUEST.run_date, new Date("2026-03-01T00:30:00Z"), "America/New_York")).toBe("2026-02-27");
});
