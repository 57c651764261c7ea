import { lock } from "proper-lockfile";

/**
 * Builds an output unless it is fresh, one process at a time: test suites running side by side may
 * all find it stale, and two builds at once would delete each other's files. The lock is taken only
 * when a build looks needed, and freshness is asked again under it, so the waiters reuse what the
 * first one built. Resolves to whether this call built. A holder that died leaves a lock that is taken
 * over once stale (30 s without its refresh).
 */
export async function buildOnceWhenStale(lockPath: string, isFresh: () => boolean, build: () => Promise<void>): Promise<boolean> {
  if (isFresh()) return false;
  // Waits for minutes: a synth on a loaded machine takes one or more.
  const release = await lock(lockPath, { realpath: false, stale: 30_000, retries: { retries: 2_000, factor: 1.2, minTimeout: 50, maxTimeout: 500 } });
  try {
    if (isFresh()) return false;
    await build();
    return true;
  } finally {
    await release().catch(() => undefined);
  }
}
