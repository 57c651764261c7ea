import { build } from "esbuild";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

// Besides a function's own sources, what changes the archive: the bundler script (its options), the
// SQL copied alongside, and the package version and dependencies stamped into the manifest.
const SHARED_INPUTS = ["scripts/bundle-functions.ts", "scripts/bundle-function-entry.ts"];
const SHARED_FOLDERS = ["sql"];

/**
 * Stand-ins for the function archives, one `<name>.zip` per `functions/<name>/index.ts`, whose
 * content is a hash of every repository file the function is built from (esbuild's import graph),
 * the locked version of every package it bundles, the bundler, the manifest inputs and sql/. Two trees get the same archive name in the stack
 * exactly when their functions would build the same, without bundling and zipping for real.
 */
export async function writeFunctionFingerprints(tree: string, outDir: string): Promise<Record<string, string>> {
  mkdirSync(outDir, { recursive: true });
  const fingerprints: Record<string, string> = {};
  const functionsDir = join(tree, "functions");
  const pkg = readJson(join(tree, "package.json")) as { version?: string; dependencies?: unknown };
  const lock = readJson(join(tree, "package-lock.json")) as { packages?: Record<string, { version?: string; integrity?: string }> };
  for (const name of readdirSync(functionsDir).sort()) {
    const entry = join(functionsDir, name, "index.ts");
    if (!existsSync(entry)) continue;
    const result = await build({ entryPoints: [entry], bundle: true, platform: "node", write: false, metafile: true, logLevel: "silent", absWorkingDir: tree, outfile: "out.js" });
    const inputs = Object.keys(result.metafile.inputs);
    const own = inputs.filter((p) => !p.includes("node_modules/"));
    const hash = createHash("sha256");
    // node_modules is shared between the trees a review compares: each tree's lockfile says what it would bundle.
    const packages = [...new Set(inputs.map(packageDir).filter((p): p is string => p !== undefined))].sort();
    for (const p of packages) hash.update(`${p}\0${JSON.stringify(lock.packages?.[p] ?? null)}\0`);
    hash.update(JSON.stringify({ version: pkg.version, dependencies: pkg.dependencies }));
    for (const file of [...own, ...SHARED_INPUTS, ...SHARED_FOLDERS.flatMap((f) => filesUnder(tree, f))].sort()) {
      const path = join(tree, file);
      hash.update(`${file}\0`).update(existsSync(path) ? readFileSync(path) : "(missing)").update("\0");
    }
    fingerprints[name] = hash.digest("hex");
    writeFileSync(join(outDir, `${name}.zip`), `${fingerprints[name]}\n`);
  }
  return fingerprints;
}

function filesUnder(tree: string, folder: string): string[] {
  const root = join(tree, folder);
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(tree, p));
    }
  };
  walk(root);
  return out;
}

function readJson(path: string): Record<string, unknown> {
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>) : {};
}

/** "node_modules/a/node_modules/@s/b/lib/x.js" -> "node_modules/a/node_modules/@s/b" (the lockfile's key). */
function packageDir(input: string): string | undefined {
  const at = input.lastIndexOf("node_modules/");
  if (at === -1) return undefined;
  const m = /^node_modules\/(?:@[^/]+\/)?[^/]+/.exec(input.slice(at));
  return m ? input.slice(input.indexOf("node_modules/"), at) + m[0] : undefined;
}
