import { appendFileSync, mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { lock } from "proper-lockfile";

/**
 * A lock whose holder has not refreshed it (every STALE_MS / 2) for this long is taken over: its
 * holder hung or died without leaving its PID. Generous, so a live holder starved of CPU on a busy
 * machine keeps its lock.
 */
const STALE_MS = 30_000;
/**
 * A lock whose holder's PID names no live process is taken over once it is this old (proper-lockfile's
 * minimum): a SIGKILLed function process no longer stalls every writer of its table for ~30 s.
 */
const DEAD_HOLDER_STALE_MS = 2_000;
/** How long a writer waits for a table in all: 8 reconcile processes on a loaded machine may queue for it. */
const WAIT_MS = 8 * 60_000;
/** One round of retries (~1.5 s) between looks at the holder's PID. */
const ROUND = { retries: 20, factor: 1.2, minTimeout: 5, maxTimeout: 100, randomize: true };

/** The file beside `<file>.lock` naming the process that holds it (all holders run on this machine). */
const holderFile = (file: string) => `${file}.lock.pid`;

function holderIsDead(file: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(holderFile(file), "utf8"));
  } catch {
    return false; // no PID written (yet): only the mtime can tell
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * The lock of one file. The first try is a plain one: proper-lockfile builds the whole retry schedule
 * on every call, which for a long schedule was ~1 ms of CPU per uncontended append. Then rounds of
 * short retries, each taking a dead holder's lock over after DEAD_HOLDER_STALE_MS instead of STALE_MS.
 */
async function lockFile(file: string): Promise<() => Promise<void>> {
  const deadline = Date.now() + WAIT_MS;
  let release: () => Promise<void>;
  for (let round = 0; ; round++) {
    const takeOver = holderIsDead(file);
    try {
      release = await lock(file, {
        realpath: false,
        stale: takeOver ? DEAD_HOLDER_STALE_MS : STALE_MS,
        // The holder refreshes its lock every stale / 2; a taken-over lock's short threshold may be
        // missed on a starved machine: say so instead of throwing (others still see a live PID).
        ...(takeOver ? { onCompromised: (e: Error) => console.error(`table lock ${file}: ${e.message}`) } : {}),
        ...(round > 0 ? { retries: ROUND } : {}),
      });
      break;
    } catch (e) {
      if ((e as { code?: string }).code !== "ELOCKED" || Date.now() > deadline) throw e;
    }
  }
  writeFileSync(holderFile(file), String(process.pid));
  return async () => {
    rmSync(holderFile(file), { force: true });
    await release();
  };
}

/**
 * Runs `work` while holding the lock of every given table file, so writers in other processes (a
 * function process appending, a second `npm run reconcile` deleting) never interleave with it.
 * Locks are taken in sorted order (no deadlock between two multi-table statements) as
 * `<file>.lock` folders with the holder's PID beside them; a lock whose holder died is taken over.
 */
export async function withTableLocks<T>(files: readonly string[], work: () => Promise<T> | T): Promise<T> {
  const releases: (() => Promise<void>)[] = [];
  try {
    for (const file of [...new Set(files)].sort()) releases.push(await lockFile(file));
    return await work();
  } finally {
    for (const release of releases.reverse()) await release().catch(() => undefined);
  }
}

/**
 * Appends `text` to a table file under its lock. The uncontended case takes the lock the way
 * proper-lockfile does (the `<file>.lock` folder) with synchronous calls only, so the lock is held
 * for the append alone: a SIGKILL cannot leave it behind, as it could while async lock calls were in
 * flight (the next append then waited for the dead holder's lock to go stale). Contended: as above.
 */
export async function appendUnderTableLock(file: string, text: string): Promise<void> {
  const lockDir = `${file}.lock`;
  try {
    mkdirSync(lockDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    return withTableLocks([file], () => appendFileSync(file, text));
  }
  try {
    appendFileSync(file, text);
  } finally {
    rmdirSync(lockDir);
  }
}
