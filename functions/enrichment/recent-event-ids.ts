import { LRUCache } from "lru-cache";

/**
 * Event ids this instance wrote recently, to drop immediate redeliveries cheaply. Bounded and
 * per-instance, so it is an optimisation only: correctness comes from `curated.commerce_events_dedup`.
 */
export class RecentEventIds {
  private readonly cache: LRUCache<string, true> | null;

  /** @param size how many ids to remember; 0 disables the cache. */
  constructor(size: number) {
    this.cache = size > 0 ? new LRUCache<string, true>({ max: size }) : null;
  }

  has(eventId: string): boolean {
    return this.cache?.has(eventId) ?? false;
  }

  add(eventId: string): void {
    this.cache?.set(eventId, true);
  }
}
