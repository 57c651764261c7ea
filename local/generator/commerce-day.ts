import type { EventType, LedgerOrderRow } from "../../contracts";
import { addDays } from "../../config/calendar-date";
import { nearDayClose } from "./day-close";
import { startDayDraft, type CommerceDayOptions, type DayDraft } from "./day-draft";
import { RetryWindow, duplicateMessage } from "./duplicate-message";
import { expectedDiscrepancies, mostCommonOrderDate } from "./expected-discrepancies";
import { freshEvent, pickStore, withUnknownSku } from "./fresh-event";
import type { DiscrepancyKind, InjectedKind } from "./injected-kinds";
import { orderMessage } from "./order-message";
import { plannedMessage, type PlannedMessage } from "./planned-message";
import { poisonMessage } from "./poison-message";
import { HOT_STORE_ID, generateReferenceData, type ReferenceData } from "./reference-data";

export type { CommerceDayOptions } from "./day-draft";
export { INJECTED_KINDS, type DiscrepancyKind, type InjectedKind } from "./injected-kinds";
export type { DuplicateKind, PlannedMessage, PoisonKind } from "./planned-message";

export interface CommerceDay {
  /** Epoch ms streaming starts; messages are due at startMs + atMs. */
  startMs: number;
  /** The business day the ledger export covers and the night's reconciliation compares. */
  runDate: string;
  messages: PlannedMessage[];
  /** ledger.orders rows for every order (all business days the stream touched). */
  ledger: LedgerOrderRow[];
  reference: ReferenceData;
  /** What was injected, by kind (whole day, all business dates). */
  injected: Record<InjectedKind, number>;
  /** Orders the reconciliation of runDate must report, by discrepancy kind. */
  expectedDiscrepancies: Record<DiscrepancyKind, number>;
  /** event_id of every poison message: each must be in ops.dead_letters with a reason. */
  poisonEventIds: string[];
}

const EVENT_MIX: Record<EventType, number> = {
  "cart.item_added": 44,
  "cart.item_removed": 10,
  "order.placed": 22,
  "order.cancelled": 0, // only as the follow-up of a placed order
  "inventory.adjusted": 14,
  "price.changed": 10,
};
const HOUR_MS = 3_600_000;

/** A seeded, realistic day of commerce events with known injected faults, plus its ledger and reference data. */
export function generateCommerceDay(opts: CommerceDayOptions): CommerceDay {
  const day = startDayDraft(opts, referenceDataFor(opts.seed, opts.startMs));
  const { messages, ledger, injected } = day;
  const total = day.options.events;
  const spacingMs = 1000 / day.options.ratePerSecond;
  const retries = new RetryWindow();
  // Each slot takes, in this order: a follow-up that is due, poison, a publisher retry, or a fresh event.
  while (messages.length < total) {
    const slot = messages.length;
    const atMs = slot * spacingMs;
    const remaining = total - slot;
    const dueIndex = day.pending.findIndex((p) => p.due <= slot);
    if (dueIndex >= 0) {
      messages.push(day.pending.splice(dueIndex, 1)[0].make(atMs));
      continue;
    }
    if (day.poisonLeft > 0 && day.rng.chance(day.poisonLeft / remaining)) {
      day.poisonLeft--;
      messages.push(poisonMessage(day, atMs));
      continue;
    }
    const retryable = retries.retryableAt(slot);
    if (day.duplicatesLeft > 0 && retryable.length > 0 && day.rng.chance(day.duplicatesLeft / remaining)) {
      day.duplicatesLeft--;
      messages.push(duplicateMessage(day, retryable, atMs));
      continue;
    }
    const message = freshMessage(day, slot, atMs);
    if (!message) continue;
    if (message.role === "event") retries.addEvent(messages.length);
    messages.push(message);
  }
  const runDate = mostCommonOrderDate(ledger);
  return {
    startMs: day.options.startMs,
    runDate,
    messages,
    ledger,
    reference: day.reference,
    injected,
    expectedDiscrepancies: expectedDiscrepancies(messages, ledger, day.orderDrift, day.options.startMs, runDate),
    poisonEventIds: day.poisonEventIds,
  };
}

/** A fresh event by the event mix (an order may be held back from the stream: undefined). */
function freshMessage(day: DayDraft, slot: number, atMs: number): PlannedMessage | undefined {
  const store = pickStore(day);
  const late = day.rng.chance(day.options.lateShare);
  const drawn = day.rng.weighted(EVENT_MIX);
  // An order is never planned right before its store's day closes (day-close.ts): late or not, decided here.
  const type = drawn === "order.placed" && nearDayClose(day.options.startMs + atMs, store.time_zone) ? "cart.item_added" : drawn;
  const message =
    type === "order.placed" ? orderMessage(day, atMs, store, late, slot) : plannedMessage(withUnknownSku(day, freshEvent(day, type, store, atMs, late)), atMs, "event");
  if (!message) return undefined;
  if (late && message.role === "event") day.injected.late++;
  if (store.store_id === HOT_STORE_ID) day.injected.hot_store++;
  return message;
}

/** The reference data a day starting at startMs is generated against (load it before the functions start). */
export function referenceDataFor(seed: number, startMs: number): ReferenceData {
  const startDate = new Date(startMs).toISOString().slice(0, 10);
  // FX rates around the day: late events and stores east of UTC touch the neighbouring dates.
  const rateDates = [-2, -1, 0, 1].map((d) => addDays(startDate, d));
  const updatedAt = new Date(Date.parse(startDate) - 30 * 24 * HOUR_MS).toISOString();
  return generateReferenceData(seed, rateDates, updatedAt);
}
