import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/** Every .sql file under the repository's sql/ (path relative to the repository -> text). */
export function readSqlFiles(repo: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".sql")) out[relative(repo, p)] = readFileSync(p, "utf8");
    }
  };
  if (existsSync(join(repo, "sql"))) walk(join(repo, "sql"));
  return out;
}
