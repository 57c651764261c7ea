import { commerceEventFields, toAvroJson, type CommerceEvent } from "../../contracts";

export type PoisonKind = "order_currency_lowercase" | "unknown_event_type" | "missing_conditional_field" | "unparseable_timestamp" | "invalid_event_id";

/** exact: the same bytes again; restamped: a publisher retry that re-stamped occurred_at across the store's local midnight; conflicting: same event_id, other payload. */
export type DuplicateKind = "exact" | "restamped" | "conflicting";

/** One message to publish to commerce-events. */
export interface PlannedMessage {
  /** When to publish it, in ms after the start of streaming. */
  atMs: number;
  /** Avro JSON encoding of the event, as the topic's schema requires. */
  data: string;
  attributes: Record<string, string>;
  eventId: string;
  eventType: string;
  /** What the generator made it: a fresh event, a duplicate, or poison of some kind. */
  role: "event" | "duplicate" | "poison";
  poisonKind?: PoisonKind;
  /** For a duplicate: an exact re-send, re-stamped onto another store-local day, or a different payload. */
  duplicateKind?: DuplicateKind;
}

/** The event as a publisher sends it: Avro JSON with the routing attributes. */
export function plannedMessage(event: CommerceEvent, atMs: number, role: PlannedMessage["role"], poisonKind?: PoisonKind): PlannedMessage {
  return {
    atMs,
    data: JSON.stringify(toAvroJson(commerceEventFields, event as unknown as Record<string, unknown>)),
    attributes: { event_type: String(event.event_type), source: event.channel === "store" ? "pos" : event.channel },
    eventId: event.event_id,
    eventType: String(event.event_type),
    role,
    ...(poisonKind ? { poisonKind } : {}),
  };
}

/** What the planners read back from a planned message's Avro JSON. */
export interface PlannedEventFields {
  order_id: { string: string } | null;
  store_id: string;
  occurred_at: string;
}

export function plannedEventFields(message: PlannedMessage): PlannedEventFields {
  return JSON.parse(message.data) as PlannedEventFields;
}
