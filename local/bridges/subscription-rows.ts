import type { DeadLetterRow } from "../../contracts";
import type { Row } from "../../functions/runtime/warehouse";

/** A Pub/Sub message as a BigQuery subscription sees it. */
export interface BridgedMessage {
  id: string;
  publishTime: Date;
  data: Buffer;
  attributes: Record<string, string>;
}

// Pub/Sub's attributes on a max-attempts forward, and ours on a poison verdict
// (functions/enrichment/dead-letter-attributes.ts).
const FORWARD = {
  deliveryCount: "CloudPubSubDeadLetterSourceDeliveryCount",
  subscription: "CloudPubSubDeadLetterSourceSubscription",
} as const;

/** The metadata columns a BigQuery subscription writes with `write_metadata = true`. */
export function metadataRow(m: BridgedMessage, subscriptionName: string): Row {
  return {
    subscription_name: subscriptionName,
    message_id: m.id,
    publish_time: m.publishTime.toISOString(),
    data: m.data.toString("base64"),
    attributes: JSON.stringify(m.attributes),
  };
}

/**
 * An `ops.dead_letters` row with the explained columns filled from the attributes, as
 * sql/views/dead_letters_explained.sql derives them in BigQuery: our poison verdicts carry reason,
 * error_detail, stage ...; Pub/Sub's forwards after max attempts carry CloudPubSubDeadLetterSource*.
 */
export function deadLetterRow(m: BridgedMessage, subscriptionName: string): DeadLetterRow {
  const a = m.attributes;
  const forwarded = a[FORWARD.deliveryCount] !== undefined;
  const attempts = Number(a[FORWARD.deliveryCount]);
  return {
    ...(metadataRow(m, subscriptionName) as Pick<DeadLetterRow, "subscription_name" | "message_id" | "publish_time" | "data" | "attributes">),
    subscription: a.source_subscription ?? a[FORWARD.subscription] ?? null,
    delivery_attempt: Number.isInteger(attempts) ? attempts : null,
    payload_string: utf8OrNull(m.data),
    reason: a.reason ?? (forwarded ? "max_delivery_attempts" : null),
    error_class: a.error_class ?? (forwarded ? "transient" : null),
    stage: (a.stage as DeadLetterRow["stage"]) ?? (forwarded ? "delivery" : null),
    error_message: a.error_detail ?? null,
    pipeline_version: a.pipeline_version ?? null,
    dead_lettered_at: a.dead_lettered_at ?? m.publishTime.toISOString(),
  };
}

function utf8OrNull(b: Buffer): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(b);
  } catch {
    return null;
  }
}

/** The row builder for a table a BigQuery subscription writes, by `dataset.table`. */
export const ROW_BUILDERS: Readonly<Record<string, (m: BridgedMessage, subscriptionName: string) => Row>> = {
  "raw.commerce_events": metadataRow,
  "ops.dead_letters": (m, s) => deadLetterRow(m, s) as Row,
};
