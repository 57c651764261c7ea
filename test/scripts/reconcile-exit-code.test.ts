import { exitCodeOf, exitCodeOfDay, RECONCILE_EXIT } from "../../scripts/reconcile-exit-code";
import type { ReconcileOutcome } from "../../functions/reconciliation/reconcile";
import type { RunRecord } from "../../functions/reconciliation/run-record";

const completed = (status: "pass" | "warn" | "fail") => ({ outcome: { outcome: "completed", run: { status } as RunRecord } as ReconcileOutcome });
const pending = { outcome: { outcome: "source_pending", runDate: "2024-05-02", ledgerDeadline: "x", reason: "y" } as ReconcileOutcome };
const late = { outcome: { outcome: "late_source", run: { status: "late_source" } as RunRecord } as ReconcileOutcome };

describe("npm run reconcile exit codes", () => {
  it("0 pass, 1 fail, warn 0 by default and 1 with --fail-on warn, 2 pending or late, 3 error", () => {
    expect(exitCodeOfDay(completed("pass"), "fail")).toBe(0);
    expect(exitCodeOfDay(completed("fail"), "fail")).toBe(1);
    expect(exitCodeOfDay(completed("warn"), "fail")).toBe(0);
    expect(exitCodeOfDay(completed("warn"), "warn")).toBe(1);
    expect(exitCodeOfDay(completed("pass"), "warn")).toBe(0);
    expect(exitCodeOfDay(pending, "fail")).toBe(2);
    expect(exitCodeOfDay(late, "fail")).toBe(2);
    expect(exitCodeOfDay({ error: new Error("boom") }, "fail")).toBe(3);
  });

  it("a range exits with its worst day", () => {
    expect(exitCodeOf([], "fail")).toBe(RECONCILE_EXIT.pass);
    expect(exitCodeOf([completed("pass"), completed("fail"), completed("pass")], "fail")).toBe(1);
    expect(exitCodeOf([completed("fail"), late, completed("pass")], "fail")).toBe(2);
    expect(exitCodeOf([{ error: "x" }, late, completed("fail")], "fail")).toBe(3);
  });
});
