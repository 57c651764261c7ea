import { PUBSUB_FORWARD_ATTRIBUTES } from "../../contracts/dead-letters";
import { deadLetterAttributes } from "../../functions/enrichment/dead-letter-attributes";
import type { Poison } from "../../functions/enrichment/decode";
import type { Row } from "../../functions/runtime/warehouse";
import { metadataRow, type BridgedMessage } from "../../local/bridges/subscription-rows";

/** The subscription name the DLQ topic's BigQuery subscription writes into every row. */
export const DEAD_LETTERS_SUBSCRIPTION = "projects/streamline-dev/subscriptions/dead-letters";
const ENRICHMENT_SUBSCRIPTION = "projects/streamline-dev/subscriptions/enrichment";

/** A dead letter the enrichment function published itself: the real attributes of a poison verdict. */
export function poisonDeadLetter(o: {
  id: string;
  publishTime: string;
  payload: string;
  verdict: Poison;
  publisherAttributes?: Record<string, string>;
}): BridgedMessage {
  const publishMs = Date.parse(o.publishTime);
  return {
    id: o.id,
    publishTime: new Date(publishMs),
    data: Buffer.from(o.payload),
    attributes: deadLetterAttributes(o.publisherAttributes ?? {}, o.verdict, { messageId: `src-${o.id}`, subscription: ENRICHMENT_SUBSCRIPTION }, "test", publishMs - 250),
  };
}

/**
 * What Pub/Sub forwards after max delivery attempts: the original data and the publisher's
 * attributes plus only the CloudPubSubDeadLetterSource* attributes (as the emulator does too).
 */
export function maxAttemptsForward(o: { id: string; publishTime: string; payload: Buffer | string; attempts: number; publisherAttributes?: Record<string, string> }): BridgedMessage {
  const publishMs = Date.parse(o.publishTime);
  return {
    id: o.id,
    publishTime: new Date(publishMs),
    data: Buffer.isBuffer(o.payload) ? o.payload : Buffer.from(o.payload),
    attributes: {
      ...(o.publisherAttributes ?? {}),
      [PUBSUB_FORWARD_ATTRIBUTES.deliveryCount]: String(o.attempts),
      [PUBSUB_FORWARD_ATTRIBUTES.subscription]: ENRICHMENT_SUBSCRIPTION,
      [PUBSUB_FORWARD_ATTRIBUTES.topicPublishTime]: new Date(publishMs - 30_000).toISOString(),
    },
  };
}

/** The `ops.dead_letters` row the BigQuery subscription (write_metadata) stores for a message. */
export const deadLetterTableRow = (m: BridgedMessage): Row => metadataRow(m, DEAD_LETTERS_SUBSCRIPTION);
