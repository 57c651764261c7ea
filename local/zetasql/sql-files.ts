import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseSqlHeader, type SqlHeader } from "./sql-header";

export interface SqlFile extends SqlHeader {
  /** Path relative to the sql/ folder, e.g. "reconciliation/summary.sql". */
  path: string;
  sql: string;
}

/** Every *.sql file under `dir` (recursively, sorted), with its header parsed; [] when `dir` is missing. */
export function listSqlFiles(dir: string): SqlFile[] {
  if (!existsSync(dir)) return [];
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))
      .flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith(".sql") ? [join(d, e.name)] : []));
  return walk(dir).map((file) => {
    const sql = readFileSync(file, "utf8");
    return { path: relative(dir, file), sql, ...parseSqlHeader(sql, file) };
  });
}
