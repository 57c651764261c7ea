import { join, resolve } from "node:path";
import { bundleFunctionEntry } from "../../scripts/bundle-function-entry";

const ROOT = resolve(__dirname, "../..");
const OUT = join(ROOT, "dist", "bench", "enrichment");

/**
 * The measured entries bundled as the deployed function is (scripts/bundle-function-entry.ts), so
 * the measured process runs plain JS without tsx's loader thread and transpile cache in its CPU time
 * and RSS. Under dist/, so the
 * function finds the repository's sql/ as the deployed bundle finds its copy.
 */
export async function bundleMeasuredEntries(): Promise<{ function: string; noop: string }> {
  const entries = { function: "function-entry", noop: "noop-entry" } as const;
  for (const name of Object.values(entries)) await bundleFunctionEntry(join(__dirname, `${name}.ts`), join(OUT, `${name}.js`));
  return { function: join(OUT, `${entries.function}.js`), noop: join(OUT, `${entries.noop}.js`) };
}
