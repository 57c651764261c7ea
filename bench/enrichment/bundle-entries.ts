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
export async function bundleMeasuredEntries(): Promise<{ function: string; noop: string; recording: string; cpuPath: string }> {
  const entries = { function: "function-entry", noop: "noop-entry", recording: "recording-entry", cpuPath: "cpu-path-entry" } as const;
  // The recording entry (the deployed wiring over a recording warehouse) is shared with the emulator test.
  const sources: Record<string, string> = { recording: join(ROOT, "local", "functions", "recording-enrichment-entry.ts") };
  for (const [key, name] of Object.entries(entries)) await bundleFunctionEntry(sources[key] ?? join(__dirname, `${name}.ts`), join(OUT, `${name}.js`));
  return { function: join(OUT, `${entries.function}.js`), noop: join(OUT, `${entries.noop}.js`), recording: join(OUT, `${entries.recording}.js`), cpuPath: join(OUT, `${entries.cpuPath}.js`) };
}
