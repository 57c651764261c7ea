/** How a supervisor spaces restarts: like Cloud Run's, exponential and bounded. */
export interface BackoffPolicy {
  /** Delay before the first restart, in ms. Default: 250. */
  initialMs?: number;
  /** Upper bound of the delay, in ms. Default: 8000. */
  maxMs?: number;
  /** A process that stayed up this long resets the delay to initialMs, in ms. Default: 30000. */
  resetAfterMs?: number;
}

/**
 * The next restart after a process exited or hung: the delay doubles with each crash of a streak,
 * capped at maxMs; a process that stayed up resetAfterMs starts a new streak (a crash an hour later
 * is not a crash loop).
 */
export function nextRestart(policy: BackoffPolicy, previousStreak: number, upMs: number): { streak: number; delayMs: number } {
  const initial = policy.initialMs ?? 250;
  const streak = upMs >= (policy.resetAfterMs ?? 30_000) ? 1 : previousStreak + 1;
  return { streak, delayMs: Math.min(policy.maxMs ?? 8000, initial * 2 ** (streak - 1)) };
}
