import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The sql/ folder: $STREAMLINE_SQL_DIR when set (a deployed bundle that puts it elsewhere), else the
 * nearest `sql/` above `from` holding `marker`: the repository in development, the bundle root when a
 * function is packaged with its sql/ folder next to it.
 */
export function findSqlDir(marker: string, from: string = __dirname, override = process.env.STREAMLINE_SQL_DIR): string {
  if (override) return override;
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "sql", marker))) return join(dir, "sql");
    if (dirname(dir) === dir) throw new Error(`no sql/ folder with ${marker} above ${from}; set STREAMLINE_SQL_DIR`);
  }
}

/** Reads each statement once (at cold start), so a missing file fails start-up, not a request. */
export function loadSqlFiles<K extends string>(files: Readonly<Record<K, string>>, sqlDir: string): Record<K, string> {
  return Object.fromEntries(Object.entries<string>(files).map(([key, file]) => [key, readFileSync(join(sqlDir, file), "utf8")])) as Record<K, string>;
}

/**
 * The loader of one named set of statements (each function's, each operator command's): reads them
 * from sqlDir, or from the sql/ folder that holds the set's first file.
 */
export function sqlStatementsLoader<K extends string>(files: Readonly<Record<K, string>>): (sqlDir?: string) => Record<K, string> {
  const marker = Object.values<string>(files)[0];
  return (sqlDir = findSqlDir(marker)) => loadSqlFiles(files, sqlDir);
}
