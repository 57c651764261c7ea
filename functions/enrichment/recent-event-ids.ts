import { LRUCache } from "lru-cache";

/**
 * Event ids this instance wrote recently, with the payload fingerprint of the copy written, to drop
 * immediate redeliveries cheaply and to notice a copy that conflicts with the one written. Bounded
 * and per-instance, so it is an optimisation only: correctness comes from `curated.commerce_events_dedup`.
 */
export class RecentEventIds {
  private readonly cache: LRUCache<string, string> | null;

  /** @param size how many ids to remember; 0 disables the cache. */
  constructor(size: number) {
    this.cache = size > 0 ? new LRUCache<string, string>({ max: size }) : null;
  }

  /** The fingerprint of the copy written, when this id was written recently. */
  writtenFingerprint(eventId: string): string | undefined {
    return this.cache?.get(eventId);
  }

  add(eventId: string, fingerprint: string): void {
    this.cache?.set(eventId, fingerprint);
  }
}
