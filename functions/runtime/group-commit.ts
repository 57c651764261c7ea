/** What a flush reports for one item. */
export type ItemOutcome = { ok: true } | { ok: false; retryable: boolean; reason: string };

export interface GroupCommitLimits {
  /** Most items one flush carries. */
  maxItems: number;
  /** Most bytes (by `sizeOf`) one flush carries; a single larger item still goes alone. */
  maxBytes: number;
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
 * Group commit without a timer: a flush starts as soon as the previous one finished and carries
 * everything that arrived meanwhile (up to the limits). One caller in flight gets one item per flush
 * and no added latency; under load, batches grow by themselves to cover the write latency.
 */
export class GroupCommit<T> {
  private readonly queue: Pending<T>[] = [];
  private flushing = false;
  private scheduled = false;

  constructor(
    private readonly flush: FlushFn<T>,
    private readonly limits: GroupCommitLimits,
    private readonly sizeOf: (item: T) => number,
  ) {}

  /** Resolves with the item's outcome once the flush carrying it has finished. */
  submit(item: T): Promise<ItemOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, bytes: this.sizeOf(item), resolve, reject });
      this.schedule();
    });
  }

  /** Items waiting for a flush (not counting the one in flight). */
  get waiting(): number {
    return this.queue.length;
  }

  private schedule(): void {
    if (this.flushing || this.scheduled) return;
    this.scheduled = true;
    // A microtask, not a timer: items submitted in the same tick share the flush, nothing waits.
    queueMicrotask(() => {
      this.scheduled = false;
      void this.runFlush();
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

  private async runFlush(): Promise<void> {
    if (this.flushing || this.queue.length === 0) return;
    this.flushing = true;
    const batch = this.takeBatch();
    try {
      const outcomes = await this.flush(batch.map((p) => p.item));
      batch.forEach((p, i) =>
        p.resolve(outcomes[i] ?? { ok: false, retryable: true, reason: "flush returned no outcome for this item" }),
      );
    } catch (e) {
      for (const p of batch) p.reject(e);
    } finally {
      this.flushing = false;
      this.schedule();
    }
  }
}
