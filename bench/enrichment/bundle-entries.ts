import { build } from "esbuild";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "../..");
const OUT = join(ROOT, "dist", "bench", "enrichment");
const FRAMEWORK = "@google-cloud/functions-framework";

/**
 * The measured entries bundled the way scripts/bundle-functions.ts bundles the deployed function
 * (esbuild, minified, names kept, the framework external), so the measured process runs plain JS
 * without tsx's loader thread and transpile cache in its CPU time and RSS. Under dist/, so the
 * function finds the repository's sql/ as the deployed bundle finds its copy.
 */
export async function bundleMeasuredEntries(): Promise<{ function: string; noop: string; recording: string; cpuPath: string }> {
  const entries = { function: "function-entry", noop: "noop-entry", recording: "recording-entry", cpuPath: "cpu-path-entry" } as const;
  // The recording entry (the deployed wiring over a recording warehouse) is shared with the emulator test.
  const sources: Record<string, string> = { recording: join(ROOT, "local", "functions", "recording-enrichment-entry.ts") };
  for (const [key, name] of Object.entries(entries)) {
    await build({
      entryPoints: [sources[key] ?? join(__dirname, `${name}.ts`)],
      outfile: join(OUT, `${name}.js`),
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      minify: true,
      keepNames: true,
      external: [FRAMEWORK],
      logLevel: "warning",
    });
  }
  return { function: join(OUT, `${entries.function}.js`), noop: join(OUT, `${entries.noop}.js`), recording: join(OUT, `${entries.recording}.js`), cpuPath: join(OUT, `${entries.cpuPath}.js`) };
}
