import type { DeadLetterRow } from "../../contracts";
import { DEAD_LETTERS_VIEW } from "../../contracts/dead-letters";
import type { Warehouse } from "../../functions/runtime/warehouse";
import type { CommerceDay } from "../generator/commerce-day";

/** What the warehouse must hold once the run drained: each valid event_id once, each poison event_id in the DLQ. */
export interface ExpectedOutcome {
  valid: Set<string>;
  poison: Set<string>;
}

export function expectedOutcome(day: CommerceDay): ExpectedOutcome {
  return {
    valid: new Set(day.messages.filter((m) => m.role === "event").map((m) => m.eventId)),
    poison: new Set(day.poisonEventIds),
  };
}

/** The event_id a dead letter carries in its payload, if it parses. */
export function deadLetterEventId(d: Pick<DeadLetterRow, "payload_string" | "data">): string | undefined {
  try {
    const id = (JSON.parse(d.payload_string ?? Buffer.from(d.data ?? "", "base64").toString()) as { event_id?: unknown }).event_id;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}

export interface InvariantCheck {
  /** Valid event_ids absent from the dedup view. */
  lost: number;
  /** Extra rows in the dedup view: copies beyond the first of an event_id, plus rows of ids that are not valid events. */
  duplicated: number;
  /** The DLQ holds exactly the poison event_ids, each with a reason, and nothing else. */
  dlqExact: boolean;
  /** Rows read from each source, for the notes. */
  dedupViewRows: number;
  deadLetterRows: number;
  /** Poison ids missing from the DLQ, DLQ rows that are not poison or carry no reason. */
  dlqMissing: number;
  dlqUnexpected: number;
}

/**
 * The fault run's invariants, read from the warehouse itself: the dedup view (evaluated by ZetaSQL,
 * as every reader sees it) and ops.dead_letters_explained.
 */
export async function checkInvariants(warehouse: Warehouse, expect: ExpectedOutcome): Promise<InvariantCheck> {
  const { rows } = await warehouse.query<{ event_id: string; copies: number }>(
    "SELECT event_id, COUNT(*) AS copies FROM curated.commerce_events_dedup GROUP BY event_id",
  );
  let lost = expect.valid.size;
  let duplicated = 0;
  let dedupViewRows = 0;
  for (const r of rows) {
    const copies = Number(r.copies);
    dedupViewRows += copies;
    if (expect.valid.has(r.event_id)) {
      lost--;
      duplicated += copies - 1;
    } else duplicated += copies;
  }
  // Through the view, the one definition of a dead letter's reason (the table holds the message as
  // the BigQuery subscription writes it; the reason is in its attributes).
  const { rows: dead } = await warehouse.query<Pick<DeadLetterRow, "payload_string" | "data" | "reason">>(
    `SELECT payload_string, data, reason FROM ${DEAD_LETTERS_VIEW}`,
  );
  const deadIds = new Set<string>();
  let dlqUnexpected = 0;
  for (const d of dead) {
    const id = deadLetterEventId(d);
    if (id === undefined || !d.reason || !expect.poison.has(id)) dlqUnexpected++;
    else deadIds.add(id);
  }
  const dlqMissing = [...expect.poison].filter((id) => !deadIds.has(id)).length;
  return { lost, duplicated, dlqExact: dlqMissing === 0 && dlqUnexpected === 0, dedupViewRows, deadLetterRows: dead.length, dlqMissing, dlqUnexpected };
}
