import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

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
  return Object.fromEntries(Object.entries<string>(files).map(([key, file]) => [key, readSqlStatement(sqlDir, file)])) as Record<K, string>;
}

const INCLUDE_LINE = /^[ \t]*-- include: (\S+)[ \t]*$/m;

/**
 * A statement as it runs: each `-- include: <file>` line is replaced by that file under sqlDir (a
 * fragment such as a list of CTEs two statements share; fragments are named `_*.sql` and are not
 * statements themselves). One level only: a fragment that includes another is an error.
 */
export function readSqlStatement(sqlDir: string, file: string): string {
  return readFileSync(join(sqlDir, file), "utf8").replace(new RegExp(INCLUDE_LINE, "gm"), (_line, fragment: string) => {
    if (!isSqlFragment(fragment)) throw new Error(`${file} includes ${fragment}: only fragments (_*.sql) may be included`);
    const path = join(sqlDir, fragment);
    if (!existsSync(path)) throw new Error(`${file} includes ${fragment}, which is not in ${sqlDir}`);
    const text = readFileSync(path, "utf8");
    if (INCLUDE_LINE.test(text)) throw new Error(`${fragment} (included by ${file}) includes another file; fragments are one level deep`);
    return text.trimEnd();
  });
}

/** Whether a file under sql/ is a fragment for statements to include (`_order_sides.sql`), not a statement. */
export function isSqlFragment(file: string): boolean {
  return basename(file).startsWith("_");
}

/**
 * The loader of one named set of statements (each function's, each operator command's): reads them
 * from sqlDir, or from the sql/ folder that holds the set's first file.
 */
export function sqlStatementsLoader<K extends string>(files: Readonly<Record<K, string>>): (sqlDir?: string) => Record<K, string> {
  const marker = Object.values<string>(files)[0];
  return (sqlDir = findSqlDir(marker)) => loadSqlFiles(files, sqlDir);
}
