import { build } from "esbuild";

/**
 * The Cloud Functions runtime loads its own functions-framework and serves the function registered in
 * that copy, so the framework stays external (the deployed bundle declares it as its only dependency).
 */
export const FUNCTIONS_FRAMEWORK = "@google-cloud/functions-framework";

/**
 * Bundles one entry as a deployed function is bundled: one minified CommonJS file for Node 20, the
 * framework external. The benchmark bundles its measured entries with this too, so it measures what
 * deploys.
 */
export async function bundleFunctionEntry(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    minify: true,
    // Libraries and logs read constructor names (error types, big.js); minification must not rename them.
    keepNames: true,
    sourcemap: false,
    external: [FUNCTIONS_FRAMEWORK],
    logLevel: "warning",
  });
}
