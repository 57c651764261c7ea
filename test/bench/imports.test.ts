import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

// Benchmarks may share fixtures with the tests only through fixtures/: bench/ importing test/ would
// make a benchmark depend on test helpers (and test-only dependencies) and let a test edit change a
// measured number silently.

const ROOT = resolve(__dirname, "..", "..");

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

/** Relative module specifiers of a file (imports, re-exports, require/import() calls), resolved to repo paths. */
function relativeImports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  return importedFiles.filter((f) => f.fileName.startsWith(".")).map((f) => relative(ROOT, resolve(dirname(file), f.fileName)));
}

describe("bench/ imports", () => {
  const files = tsFiles(join(ROOT, "bench"));

  it("finds the benchmarks and their imports", () => {
    expect(files.length).toBeGreaterThan(0);
    expect(files.flatMap(relativeImports)).toContain("fixtures/commerce-events");
  });

  it("never reach into test/", () => {
    const intoTest = files.flatMap((f) => relativeImports(f).filter((p) => p === "test" || p.startsWith("test/")).map((p) => `${relative(ROOT, f)} -> ${p}`));
    expect(intoTest).toEqual([]);
  });
});
