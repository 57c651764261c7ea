/**
 * Names of the dead-letter path that cross boundaries: the attributes the enrichment function puts on
 * a poison verdict, the attributes Pub/Sub puts on a forward after max delivery attempts, and the view
 * every reader reads instead of `ops.dead_letters`. The function publishes with them, the view
 * (sql/views/dead_letters_explained.sql, checked by test/contracts/dead-letters.test.ts) derives its
 * columns from them, redrive strips them, local runs and tests read through the view.
 */

/** Attribute names our poison dead letters carry. */
export const DEAD_LETTER_ATTRIBUTES = {
  reason: "reason",
  errorDetail: "error_detail",
  sourceMessageId: "source_message_id",
  sourceSubscription: "source_subscription",
  stage: "stage",
  errorClass: "error_class",
  pipelineVersion: "pipeline_version",
  deadLetteredAt: "dead_lettered_at",
} as const;

/** What every Pub/Sub forward after max delivery attempts adds (and nothing else: no reason). */
export const PUBSUB_FORWARD_ATTRIBUTE_PREFIX = "CloudPubSubDeadLetterSource";

/** The attributes of a Pub/Sub forward after max delivery attempts (probed on the emulator too). */
export const PUBSUB_FORWARD_ATTRIBUTES = {
  deliveryCount: `${PUBSUB_FORWARD_ATTRIBUTE_PREFIX}DeliveryCount`,
  subscription: `${PUBSUB_FORWARD_ATTRIBUTE_PREFIX}Subscription`,
  topicPublishTime: `${PUBSUB_FORWARD_ATTRIBUTE_PREFIX}TopicPublishTime`,
} as const;

/** The view that explains each dead letter (reason, stage, source) from its attributes: read this, never ops.dead_letters. */
export const DEAD_LETTERS_VIEW = "ops.dead_letters_explained";
