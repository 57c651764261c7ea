import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findSqlDir, sqlStatementsLoader } from "../../../functions/runtime/sql-files";

const dir = mkdtempSync(join(tmpdir(), "sql-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("the loader finds the repository's sql/ by the set's first file and reads every statement", () => {
  const load = sqlStatementsLoader({ summary: "reconciliation/summary.sql", products: "reference/products.sql" });
  const statements = load();
  expect(statements.summary).toBe(readFileSync(join(findSqlDir("reference/products.sql"), "reconciliation/summary.sql"), "utf8"));
  expect(statements.products).toMatch(/SELECT/i);
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
