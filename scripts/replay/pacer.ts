const MIN_SLEEP_MS = 10;

/**
 * Paces sends to at most `ratePerSecond` on average: the i-th send waits until start + i / rate.
 * A slow publisher is not made up for with a burst beyond one second's worth.
 */
export class Pacer {
  private start = 0;
  private sent = 0;

  constructor(
    private readonly ratePerSecond: number,
    private readonly clock: { now(): number; sleep(ms: number): Promise<void> } = { now: () => performance.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
  ) {
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) throw new Error(`rate must be a positive number of messages per second, got ${ratePerSecond}`);
  }

  /** Resolves when the next message may be sent. */
  async next(): Promise<void> {
    const now = this.clock.now();
    if (this.sent === 0) this.start = now;
    // Behind by more than a second: restart the schedule rather than burst to catch up.
    if (now - (this.start + (this.sent / this.ratePerSecond) * 1000) > 1000) {
      this.start = now;
      this.sent = 0;
    }
    const due = this.start + (this.sent / this.ratePerSecond) * 1000;
    this.sent++;
    // Timers are coarse (several ms on a loaded machine): wait only once ahead by a timer's worth.
    if (due - now >= MIN_SLEEP_MS) await this.clock.sleep(due - now);
  }
}
