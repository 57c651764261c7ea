import { zipSync, type Zippable } from "fflate";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

// Fixed entry timestamps (zip's epoch is 1980): the same files always give the same bytes, so the
// archive's hash names a code version and an unchanged function is not re-uploaded.
const FIXED_MTIME = new Date("1980-01-01T00:00:00Z");

/** Zips a folder's files (sorted, forward-slash paths, fixed timestamps) into deterministic bytes. */
export function zipFolder(dir: string): Uint8Array {
  const files: Zippable = {};
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(dir, path).split(sep).join("/")] = [readFileSync(path), { mtime: FIXED_MTIME }];
    }
  };
  walk(dir);
  return zipSync(files, { level: 9 });
}
