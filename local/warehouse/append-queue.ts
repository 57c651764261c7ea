import { appendUnderTableLock } from "./table-lock";

interface Waiter {
  text: string;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Appends to one table file, one locked write at a time per process: text submitted while a write
 * holds the lock rides the next write. Without it, a process's own concurrent flushes (the enrichment
 * function has several in flight) contend for the cross-process file lock, whose retry sleeps at least
 * 5 ms: that sleep, not the write, was most of a local push's latency.
 */
export class AppendQueue {
  private waiting: Waiter[] = [];
  private writing = false;

  constructor(private readonly file: string) {}

  /** Resolves once `text` is in the file (under the table lock); rejects if that write failed. */
  append(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ text, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      try {
        await appendUnderTableLock(this.file, batch.map((w) => w.text).join(""));
        for (const w of batch) w.resolve();
      } catch (e) {
        for (const w of batch) w.reject(e);
      }
    }
    this.writing = false;
  }
}
