import { readFileSync } from "node:fs";
import { join } from "node:path";

/** GitHub's heading anchors of a Markdown file: lowercase, punctuation dropped, spaces to hyphens. */
export function markdownAnchors(markdown: string): Set<string> {
  return new Set(
    markdown
      .split("\n")
      .filter((l) => /^#{1,6} /.test(l))
      .map((l) => l.replace(/^#+ /, "").trim().toLowerCase().replace(/[^a-z0-9 -]/g, "").replace(/ /g, "-")),
  );
}

/** The section anchors of docs/RUNBOOK.md. */
export function runbookAnchors(): Set<string> {
  return markdownAnchors(readFileSync(join(__dirname, "..", "..", "docs", "RUNBOOK.md"), "utf8"));
}
