import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../stacks/synth-pipeline";

// What review.yml promises reviewers; its schema is checked with every workflow file elsewhere.
const workflow = readFileSync(join(PROJECT_ROOT, ".github", "workflows", "review.yml"), "utf8");

describe(".github/workflows/review.yml", () => {
  it("pins every action to a commit, with the version in a comment", () => {
    const uses = workflow.split("\n").filter((l) => /^\s*(- )?uses:/.test(l));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it("grants nothing by default and the review job only read code and write PR comments", () => {
    expect(workflow).toMatch(/^permissions: \{\}$/m);
    expect(workflow).toMatch(/ {4}permissions:\n {6}contents: read\n {6}pull-requests: write\n {4}steps:/);
  });

  it("runs npm run review, keeps one sticky comment and fails on unacknowledged hazards (exit 1)", () => {
    expect(workflow).toContain("npm run -s review -- --base");
    expect(workflow).toContain('const marker = "<!-- streamline-review -->";');
    expect(workflow).toContain("github.rest.issues.updateComment");
    expect(workflow).toMatch(/if: steps\.review\.outputs\.exit_code == '1'\n\s+run: \|\n[^\n]+\n\s+exit 1/);
  });
});
