import { existsSync } from "node:fs";
import { join } from "node:path";
import { listSqlFiles } from "../../local/zetasql/sql-files";
import { startZetaSql, type ZetaSqlSession } from "../../local/zetasql";

// Every statement under sql/ must resolve against the contract catalog, with its parameters typed
// by its header (`-- @param run_date DATE`); an undeclared parameter fails like a misspelt column.
const SQL_DIR = join(__dirname, "..", "..", "sql");
const files = listSqlFiles(SQL_DIR);

let zs: ZetaSqlSession;
beforeAll(async () => {
  zs = await startZetaSql();
});
afterAll(async () => {
  await zs?.close();
});

describe("every file in sql/ resolves with ZetaSQL", () => {
  it("finds the SQL files once sql/ exists", () => {
    expect(files.length > 0).toBe(existsSync(SQL_DIR));
  });

  // it.each rejects an empty table; with no files there is nothing more to check.
  const cases = files.map((f) => [f.path, f] as const);
  if (cases.length > 0) {
    it.each(cases)("%s", async (_path, file) => {
      // Rejects with ZetaSQL's own message, which jest prints as the failure.
      await expect(zs.analyze(file.sql, { params: file.params })).resolves.toEqual(expect.any(Object));
    });
  }
});
