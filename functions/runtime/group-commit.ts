/** What a flush reports for one item. */
export type ItemOutcome = { ok: true } | { ok: false; retryable: boolean; reason: string };

export interface GroupCommitLimits {
  /** Most items one flush carries. */
  maxItems: number;
  /** Most bytes (by `sizeOf`) one flush carries; a single larger item still goes alone. */
  maxBytes: number;
  /** Most flushes in flight at once (1 = one after another). */
  maxInFlight: number;
}

/** Writes one batch; returns one outcome per item, in order. Throwing fails every item of the batch. */
export type FlushFn<T> = (items: T[]) => Promise<ItemOutcome[]>;

interface Pending<T> {
  item: T;
  bytes: number;
  resolve: (o: ItemOutcome) => void;
  reject: (e: unknown) => void;
}

/**
 * Pipelined group commit without a timer: whenever a flush slot is free (at most `maxInFlight` flushes
 * in flight), a flush starts carrying everything waiting (up to the limits). One caller in flight gets
 * one item per flush and no added latency; under load, batches grow by themselves to cover the write
 * latency. With one slot, a request arriving just after a flush started waits for that whole flush
 * before its own begins (~1.5 write latencies on average); k slots cut that wait to about 1/k of one.
 */
export class GroupCommit<T> {
  private readonly queue: Pending<T>[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly flush: FlushFn<T>,
    private readonly limits: GroupCommitLimits,
    private readonly sizeOf: (item: T) => number,
  ) {
    if (!Number.isInteger(limits.maxInFlight) || limits.maxInFlight < 1) throw new Error(`group commit maxInFlight must be an integer >= 1, got ${limits.maxInFlight}`);
    if (!Number.isInteger(limits.maxItems) || limits.maxItems < 1) throw new Error(`group commit maxItems must be an integer >= 1, got ${limits.maxItems}`);
  }

  /** Resolves with the item's outcome once the flush carrying it has finished. */
  submit(item: T): Promise<ItemOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, bytes: this.sizeOf(item), resolve, reject });
      this.schedule();
    });
  }

  /** Items waiting for a flush (not counting those in flight). */
  get waiting(): number {
    return this.queue.length;
  }

  /** Flushes in flight now. */
  get flushesInFlight(): number {
    return this.inFlight;
  }

  private schedule(): void {
    if (this.inFlight >= this.limits.maxInFlight || this.scheduled) return;
    this.scheduled = true;
    // A microtask, not a timer: items submitted in the same tick share the flush, nothing waits.
    queueMicrotask(() => {
      this.scheduled = false;
      while (this.inFlight < this.limits.maxInFlight && this.queue.length > 0) void this.runFlush(this.takeBatch());
    });
  }

  private takeBatch(): Pending<T>[] {
    let bytes = 0;
    let n = 0;
    while (n < this.queue.length && n < this.limits.maxItems) {
      const next = this.queue[n].bytes;
      if (n > 0 && bytes + next > this.limits.maxBytes) break;
      bytes += next;
      n++;
    }
    return this.queue.splice(0, n);
  }

  private async runFlush(batch: Pending<T>[]): Promise<void> {
    this.inFlight++;
    try {
      const outcomes = await this.flush(batch.map((p) => p.item));
      batch.forEach((p, i) =>
        p.resolve(outcomes[i] ?? { ok: false, retryable: true, reason: "flush returned no outcome for this item" }),
      );
    } catch (e) {
      for (const p of batch) p.reject(e);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }
}
