import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";

// functions/ holds only what is deployed: nothing in it may reach into the local pipeline, the
// stacks, the benchmarks or the tests (local wiring lives in local/functions/).
const ROOT = resolve(__dirname, "..", "..");
const FORBIDDEN = ["local", "stacks", "bench", "test", "scripts", "fixtures"];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

/** Top-level folder of the project an import specifier of `file` resolves into (undefined for packages). */
function importedTopFolder(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  return relative(ROOT, resolve(file, "..", specifier)).split(sep)[0];
}

function imports(source: string): string[] {
  return [...source.matchAll(/(?:import|export)[^"']*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

describe("functions/ is deployable-only", () => {
  it("finds the imports it checks (a check that cannot fail is none)", () => {
    const planted = join(ROOT, "functions", "enrichment", "planted.ts");
    expect(imports(`import { LocalWarehouse } from "../../local/warehouse/local-warehouse";`).map((s) => importedTopFolder(planted, s))).toEqual(["local"]);
    expect(imports(`export { x } from '../runtime/logger'; const y = require("../../test/x");`).map((s) => importedTopFolder(planted, s))).toEqual(["functions", "test"]);
  });

  it("no file under functions/ imports from local/, stacks/, bench/, test/, scripts/ or fixtures/", () => {
    const offending = tsFiles(join(ROOT, "functions")).flatMap((file) =>
      imports(readFileSync(file, "utf8"))
        .filter((s) => FORBIDDEN.includes(importedTopFolder(file, s) ?? ""))
        .map((s) => `${relative(ROOT, file)} imports ${s}`),
    );
    expect(offending).toEqual([]);
  });
});
