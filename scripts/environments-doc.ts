import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ENVIRONMENTS_DOC, renderEnvironmentsDoc } from "./review/environments-doc";
import { synthesize } from "./review/synthesize-tree";

// `npm run docs:environments`: synthesizes this tree and rewrites docs/environments.md.
async function main(): Promise<void> {
  const root = process.cwd();
  const scratch = mkdtempSync(join(tmpdir(), "streamline-environments-doc-"));
  try {
    const stacks = await synthesize(root, join(scratch, "out"), "working tree");
    const file = join(root, ENVIRONMENTS_DOC);
    writeFileSync(`${file}.tmp-${process.pid}`, renderEnvironmentsDoc(stacks));
    // Renamed into place: a crash never leaves a half-written doc.
    renameSync(`${file}.tmp-${process.pid}`, file);
    console.log(`wrote ${ENVIRONMENTS_DOC} (${Object.keys(stacks).join(", ")})`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
