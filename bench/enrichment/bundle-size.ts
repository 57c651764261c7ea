import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "../..");

/** Runs the project's function bundler; returns the enrichment bundle folder and the size of the zip the stack uploads. */
export function bundleEnrichment(): { dir: string; zipBytes: number } {
  execFileSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "bundle-functions.ts")], { cwd: ROOT, stdio: "inherit" });
  const dir = join(ROOT, "dist", "functions", "enrichment");
  const zip = join(ROOT, "dist", "functions", "enrichment.zip");
  if (!existsSync(zip)) throw new Error(`the bundler wrote no ${zip}`);
  return { dir, zipBytes: statSync(zip).size };
}
