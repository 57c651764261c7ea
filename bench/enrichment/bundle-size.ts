import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "../..");

/** Runs the project's function bundler, zips the enrichment bundle as the stack uploads it; returns its folder and zip size. */
export function bundleEnrichment(): { dir: string; zipBytes: number } {
  execFileSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "bundle-functions.ts")], { cwd: ROOT, stdio: "inherit" });
  const dir = join(ROOT, "dist", "functions", "enrichment");
  const tmp = mkdtempSync(join(tmpdir(), "enrichment-zip-"));
  try {
    const zip = join(tmp, "enrichment.zip");
    execFileSync("zip", ["-q", "-r", "-9", zip, "."], { cwd: dir });
    return { dir, zipBytes: statSync(zip).size };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
