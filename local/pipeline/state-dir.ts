import { existsSync, mkdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * The state folder every local command shares (`--state-dir`): `npm start` writes the warehouse,
 * function logs and report there, `npm run reconcile` reads and writes the same warehouse.
 */
export const STATE_DIR_OPTION = "--state-dir <dir>";
export const DEFAULT_STATE_DIR = ".state/local";

/** Where the local warehouse's tables live inside a state folder. */
export function warehouseDirOf(stateDir: string): string {
  return join(stateDir, "warehouse");
}

/**
 * The absolute state folder, which must exist: a mistyped path is an error, not a new empty
 * warehouse (whose missing ledger would read as a late source). `init` creates it instead.
 */
export function existingStateDir(dir: string, opts: { init?: boolean } = {}): string {
  const abs = resolve(dir);
  if (opts.init) {
    mkdirSync(warehouseDirOf(abs), { recursive: true });
    return abs;
  }
  if (!existsSync(abs) || !statSync(abs).isDirectory()) {
    throw new Error(`state folder ${abs} does not exist (give the folder npm start wrote, or --init to create an empty one)`);
  }
  if (!existsSync(warehouseDirOf(abs))) {
    throw new Error(`state folder ${abs} holds no warehouse/ (was it written by npm start?); --init creates an empty one`);
  }
  return abs;
}
