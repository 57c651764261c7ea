import { lock } from "proper-lockfile";

/**
 * A lock whose holder has not refreshed it (every STALE_MS / 2) for this long is taken over: its
 * holder died. Generous, so a live holder starved of CPU on a busy machine keeps its lock.
 */
const STALE_MS = 30_000;

/**
 * Runs `work` while holding the lock of every given table file, so writers in other processes (a
 * function process appending, a second `npm run reconcile` deleting) never interleave with it.
 * Locks are taken in sorted order (no deadlock between two multi-table statements) as
 * `<file>.lock` folders; a lock whose holder died is taken over once it is stale (STALE_MS).
 */
/**
 * One try first, then the patient retry: proper-lockfile builds the whole retry schedule (5,000
 * timeouts) on every call, which was ~1 ms of CPU per uncontended append in a function process.
 */
async function lockFile(file: string): Promise<() => Promise<void>> {
  try {
    return await lock(file, { realpath: false, stale: STALE_MS });
  } catch (e) {
    if ((e as { code?: string }).code !== "ELOCKED") throw e;
    // Waits up to about 8 minutes: 8 concurrent reconcile processes on a loaded machine queue for
    // the same tables, each holding them for a DML statement of a second or more.
    return lock(file, { realpath: false, stale: STALE_MS, retries: { retries: 5_000, factor: 1.2, minTimeout: 5, maxTimeout: 100, randomize: true } });
  }
}

export async function withTableLocks<T>(files: readonly string[], work: () => Promise<T> | T): Promise<T> {
  const releases: (() => Promise<void>)[] = [];
  try {
    for (const file of [...new Set(files)].sort()) {
      releases.push(await lockFile(file));
    }
    return await work();
  } finally {
    for (const release of releases.reverse()) await release().catch(() => undefined);
  }
}
