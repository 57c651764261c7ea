import type { LedgerOrderRow } from "../../contracts";
import { INJECTED_KINDS, type InjectedKind, type OrderDrift } from "./injected-kinds";
import type { PlannedMessage } from "./planned-message";
import { SeededRandom } from "./random";
import type { ReferenceData } from "./reference-data";

export interface CommerceDayOptions {
  /** Same seed, same events, ledger and reference data (timestamps move with startMs). */
  seed: number;
  /** Messages to publish, duplicates and poison included. */
  events: number;
  /** Publish rate, messages per second: spaces the planned publish times. */
  ratePerSecond: number;
  /** Epoch ms when streaming starts: message i is due at startMs + atMs, and event times derive from it. */
  startMs: number;
  /** Share of messages that are duplicates. Default: 0.01. */
  duplicateShare?: number;
  /** Of the duplicates, the shares re-stamped across local midnight and with a conflicting payload (the rest are exact). Default: none. */
  duplicateVariants?: { restamped: number; conflicting: number };
  /** Share of messages that are poison. Default: 0.005. */
  poisonShare?: number;
  /** Share of events that arrive hours late (kept under 1% so p99 freshness shows the pipeline, not the late tail). Default: 0.005. */
  lateShare?: number;
  /** Share of in-store events at the flagship store. Default: 0.35. */
  hotStoreShare?: number;
  /** Per injected kind of order drift, the share of orders it hits. Default: 0.005. */
  orderDriftShare?: number;
}

const DEFAULT_SHARES = {
  duplicateShare: 0.01,
  poisonShare: 0.005,
  lateShare: 0.005,
  hotStoreShare: 0.35,
  orderDriftShare: 0.005,
};
export type ResolvedDayOptions = CommerceDayOptions & typeof DEFAULT_SHARES;

/** A message planned for a later slot (an order's cancellation or re-publish). */
export interface PendingMessage {
  /** The first slot it may take. */
  due: number;
  make: (atMs: number) => PlannedMessage;
}

/** The day being planned: what each step reads and appends to, in the order the slots are filled. */
export interface DayDraft {
  readonly options: ResolvedDayOptions;
  readonly rng: SeededRandom;
  readonly reference: ReferenceData;
  readonly messages: PlannedMessage[];
  readonly ledger: LedgerOrderRow[];
  readonly injected: Record<InjectedKind, number>;
  /** Orders that carry drift, by order_id. */
  readonly orderDrift: Map<string, OrderDrift>;
  /** event_id of every poison message. */
  readonly poisonEventIds: string[];
  readonly pending: PendingMessage[];
  duplicatesLeft: number;
  poisonLeft: number;
  eventSeq: number;
  orderSeq: number;
}

export function startDayDraft(opts: CommerceDayOptions, reference: ReferenceData): DayDraft {
  const options = { ...DEFAULT_SHARES, ...opts };
  return {
    options,
    rng: new SeededRandom(options.seed),
    reference,
    messages: [],
    ledger: [],
    injected: Object.fromEntries(INJECTED_KINDS.map((k) => [k, 0])) as Record<InjectedKind, number>,
    orderDrift: new Map(),
    poisonEventIds: [],
    pending: [],
    duplicatesLeft: Math.round(options.events * options.duplicateShare),
    poisonLeft: Math.round(options.events * options.poisonShare),
    eventSeq: 0,
    orderSeq: 0,
  };
}
