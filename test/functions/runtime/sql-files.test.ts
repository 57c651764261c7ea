import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findSqlDir, readSqlStatement, sqlStatementsLoader } from "../../../functions/runtime/sql-files";
import { listSqlFiles } from "../../../local/zetasql/sql-files";

const dir = mkdtempSync(join(tmpdir(), "sql-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("the loader finds the repository's sql/ by the set's first file and reads every statement", () => {
  const load = sqlStatementsLoader({ summary: "reconciliation/summary.sql", products: "reference/products.sql" });
  const statements = load();
  expect(statements.products).toBe(readFileSync(join(findSqlDir("reference/products.sql"), "reference/products.sql"), "utf8"));
  expect(statements.summary).toMatch(/^stream_orders AS \(/m);
});

test("an explicit sql folder wins, and a missing statement fails the load naming its file", () => {
  mkdirSync(join(dir, "set"), { recursive: true });
  writeFileSync(join(dir, "set", "one.sql"), "SELECT 1");
  const load = sqlStatementsLoader({ one: "set/one.sql", two: "set/two.sql" });
  expect(() => load(dir)).toThrow(/two\.sql/);
  expect(sqlStatementsLoader({ one: "set/one.sql" })(dir)).toEqual({ one: "SELECT 1" });
});

test("STREAMLINE_SQL_DIR overrides the search; without it, no sql/ folder is a clear error", () => {
  expect(findSqlDir("set/one.sql", dir, "/somewhere/else")).toBe("/somewhere/else");
  expect(() => findSqlDir("set/one.sql", dir, undefined)).toThrow(/no sql\/ folder with set\/one\.sql above .*set STREAMLINE_SQL_DIR/);
});

test("an `-- include:` line is replaced by the fragment's text; a bad include fails naming both files", () => {
  mkdirSync(join(dir, "inc"), { recursive: true });
  writeFileSync(join(dir, "inc", "_sides.sql"), "-- shared\na AS (SELECT 1 AS x),\n\n");
  writeFileSync(join(dir, "inc", "main.sql"), "WITH\n-- include: inc/_sides.sql\nb AS (SELECT x FROM a)\nSELECT * FROM b");
  expect(readSqlStatement(dir, "inc/main.sql")).toBe("WITH\n-- shared\na AS (SELECT 1 AS x),\nb AS (SELECT x FROM a)\nSELECT * FROM b");

  writeFileSync(join(dir, "inc", "missing.sql"), "WITH\n-- include: inc/_gone.sql\nSELECT 1");
  expect(() => readSqlStatement(dir, "inc/missing.sql")).toThrow("inc/missing.sql includes inc/_gone.sql, which is not in");
  writeFileSync(join(dir, "inc", "statement.sql"), "-- include: inc/main.sql\n");
  expect(() => readSqlStatement(dir, "inc/statement.sql")).toThrow("only fragments (_*.sql) may be included");
  writeFileSync(join(dir, "inc", "_nested.sql"), "-- include: inc/_sides.sql\n");
  writeFileSync(join(dir, "inc", "outer.sql"), "-- include: inc/_nested.sql\nSELECT 1");
  expect(() => readSqlStatement(dir, "inc/outer.sql")).toThrow("inc/_nested.sql (included by inc/outer.sql) includes another file");
});

test("listing sql/ for ZetaSQL skips fragments and gives statements with their fragments included", () => {
  const files = listSqlFiles(findSqlDir("reconciliation/summary.sql"));
  expect(files.map((f) => f.path)).not.toContain(join("reconciliation", "_order_sides.sql"));
  const summary = files.find((f) => f.path === join("reconciliation", "summary.sql"))!;
  expect(summary.sql).toMatch(/^stream_orders AS \(/m);
  expect(summary.params).toEqual({ run_date: "DATE", late_allowance_hours: "INT64", shard_count: "INT64", shard: "INT64" });
});
