import { lock } from "proper-lockfile";

/**
 * Runs `work` while holding the lock of every given table file, so writers in other processes (a
 * function process appending, a second `npm run reconcile` deleting) never interleave with it.
 * Locks are taken in sorted order (no deadlock between two multi-table statements) as
 * `<file>.lock` folders; a lock whose holder died is taken over once it is stale (10 s without the
 * holder refreshing it).
 */
export async function withTableLocks<T>(files: readonly string[], work: () => Promise<T> | T): Promise<T> {
  const releases: (() => Promise<void>)[] = [];
  try {
    for (const file of [...new Set(files)].sort()) {
      // Waits up to about a minute: 8 concurrent reconcile processes each hold a table for a DML statement.
      releases.push(await lock(file, { realpath: false, stale: 10_000, retries: { retries: 1_000, factor: 1.2, minTimeout: 5, maxTimeout: 60, randomize: true } }));
    }
    return await work();
  } finally {
    for (const release of releases.reverse()) await release().catch(() => undefined);
  }
}
