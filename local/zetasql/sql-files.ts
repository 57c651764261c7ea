import { existsSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { isSqlFragment, readSqlStatement } from "../../functions/runtime/sql-files";
import { parseSqlHeader, type SqlHeader } from "./sql-header";

export interface SqlFile extends SqlHeader {
  /** Path relative to the sql/ folder, e.g. "reconciliation/summary.sql". */
  path: string;
  sql: string;
}

/** Every statement under `dir` (*.sql recursively, sorted; fragments included where they are used, not listed), with its header parsed; [] when `dir` is missing. */
export function listSqlFiles(dir: string): SqlFile[] {
  if (!existsSync(dir)) return [];
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))
      .flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith(".sql") ? [join(d, e.name)] : []));
  return walk(dir)
    .map((file) => relative(dir, file))
    .filter((path) => !isSqlFragment(path))
    .map((path) => {
      const sql = readSqlStatement(dir, path);
      return { path, sql, ...parseSqlHeader(sql, path) };
    });
}
