import type { DayDraft } from "./day-draft";
import { freshEvent, pickStore } from "./fresh-event";
import { plannedMessage, type PlannedMessage, type PoisonKind } from "./planned-message";

const POISON_KINDS: readonly Exclude<PoisonKind, "order_currency_lowercase">[] = [
  "unknown_event_type",
  "missing_conditional_field",
  "unparseable_timestamp",
  "invalid_event_id",
];

/** A cart event broken in one way the Avro schema lets through but the contract rejects. */
export function poisonMessage(day: DayDraft, atMs: number): PlannedMessage {
  const store = pickStore(day);
  const kind = day.rng.pick(POISON_KINDS);
  const event = freshEvent(day, "cart.item_added", store, atMs, false);
  const bad = event as unknown as Record<string, unknown>;
  if (kind === "unknown_event_type") bad.event_type = "cart.item_teleported";
  if (kind === "missing_conditional_field") bad.sku = null;
  if (kind === "unparseable_timestamp") bad.occurred_at = "yesterday at noon";
  if (kind === "invalid_event_id") bad.event_id = `evt ${day.options.seed} with spaces ${day.eventSeq}`;
  day.poisonEventIds.push(String(bad.event_id));
  day.injected.poison++;
  return plannedMessage(event, atMs, "poison", kind);
}
