import { RUNBOOK } from "../../../functions/reconciliation/reconcile";
import { PARITY_RUNBOOK } from "../../../functions/reconciliation/parity-canaries";
import { runbookAnchors } from "../../support/markdown-anchors";

test.each(Object.entries(RUNBOOK))("the %s alert links an existing docs/RUNBOOK.md section", (_kind, link) => {
  const [file, anchor] = link.split("#");
  expect(file).toBe("docs/RUNBOOK.md");
  expect(runbookAnchors()).toContain(anchor);
});

test.each(Object.entries(PARITY_RUNBOOK))("the parity %s alert links an existing docs/RUNBOOK.md section", (_kind, link) => {
  const [file, anchor] = link.split("#");
  expect(file).toBe("docs/RUNBOOK.md");
  expect(runbookAnchors()).toContain(anchor);
});
