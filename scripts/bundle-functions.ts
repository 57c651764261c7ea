import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { FUNCTIONS_FRAMEWORK, bundleFunctionEntry } from "./bundle-function-entry";
import { zipFolder } from "./zip-folder";

// `npm run build:functions`: one self-contained folder per function, and next to it `<name>.zip`, the
// deterministic archive the stack uploads (zipped here once, not per environment at every synth).
// Each function with the repository folders it reads at run time (copied next to index.js): both
// functions load their statements from sql/ at cold start.
const FUNCTIONS: Readonly<Record<string, readonly string[]>> = { enrichment: ["sql"], reconciliation: ["sql"] };

const root = process.cwd();
const rootPackage = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  version: string;
  dependencies: Record<string, string>;
};

// Where bundles and zips go: `dist/functions` unless a folder is given (the bundle smoke test builds into a temp folder).
const outRoot = process.argv[2] ? resolve(process.argv[2]) : join(root, "dist", "functions");

async function bundle(name: string, folders: readonly string[]): Promise<number> {
  const outDir = join(outRoot, name);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await bundleFunctionEntry(join(root, "functions", name, "index.ts"), join(outDir, "index.js"));
  const manifest = {
    name: `streamline-${name}`,
    version: rootPackage.version,
    private: true,
    main: "index.js",
    dependencies: { [FUNCTIONS_FRAMEWORK]: rootPackage.dependencies[FUNCTIONS_FRAMEWORK] },
  };
  for (const folder of folders) cpSync(join(root, folder), join(outDir, folder), { recursive: true });
  writeFileSync(join(outDir, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
  const archive = join(outRoot, `${name}.zip`);
  writeFileSync(archive, zipFolder(outDir));
  return statSync(join(outDir, "index.js")).size;
}

async function main(): Promise<void> {
  for (const [name, folders] of Object.entries(FUNCTIONS)) {
    const bytes = await bundle(name, folders);
    const archive = join(outRoot, `${name}.zip`);
    const zipBytes = statSync(archive).size;
    console.log(`bundle: ${name} index.js ${(bytes / 1024).toFixed(1)} KiB, ${relative(root, archive)} ${(zipBytes / 1024).toFixed(1)} KiB`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
