import type { DayDraft } from "./day-draft";
import { lastInstantOfPreviousLocalDay } from "./local-day-instants";
import type { PlannedMessage } from "./planned-message";
import { STORES } from "./reference-data";

/**
 * The fresh events a publisher retry may re-send at a slot: well after the first send (so the first is
 * written by then), and among the latest 400 of those.
 */
export class RetryWindow {
  /** Slots of fresh valid events, oldest first. */
  private readonly eventSlots: number[] = [];
  /** How many of eventSlots are old enough to be re-sent (the cutoff only moves forward). */
  private retryableCount = 0;

  addEvent(slot: number): void {
    this.eventSlots.push(slot);
  }

  retryableAt(slot: number): number[] {
    const cutoff = slot - Math.min(200, Math.floor(slot / 2));
    while (this.retryableCount < this.eventSlots.length && this.eventSlots[this.retryableCount] <= cutoff) this.retryableCount++;
    return this.eventSlots.slice(Math.max(0, this.retryableCount - 400), this.retryableCount);
  }
}

/** A re-send of one of the retryable messages, at atMs. */
export function duplicateMessage(day: DayDraft, retryable: readonly number[], atMs: number): PlannedMessage {
  const original = day.messages[day.rng.pick(retryable)];
  day.injected.duplicate++;
  return { ...original, ...duplicateVariant(day, original), atMs, role: "duplicate" };
}

/** Draws only when variants are asked for, so days without them stay as they were for a seed. */
function duplicateVariant(day: DayDraft, original: PlannedMessage): Pick<PlannedMessage, "data" | "duplicateKind"> {
  const v = day.options.duplicateVariants;
  if (!v) return { data: original.data, duplicateKind: "exact" };
  const draw = day.rng.next();
  const event = JSON.parse(original.data) as Record<string, unknown> & { occurred_at: string; store_id: string };
  if (draw < v.restamped) {
    const store = STORES.find((s) => s.store_id === event.store_id)!;
    return { data: JSON.stringify({ ...event, occurred_at: lastInstantOfPreviousLocalDay(event.occurred_at, store.time_zone) }), duplicateKind: "restamped" };
  }
  if (draw < v.restamped + v.conflicting) {
    return { data: JSON.stringify({ ...event, attributes: { map: { retry_variant: `copy-${day.rng.hex(6)}` } } }), duplicateKind: "conflicting" };
  }
  return { data: original.data, duplicateKind: "exact" };
}
