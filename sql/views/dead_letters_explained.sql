-- @view ops.dead_letters_explained
-- The one definition of what a dead letter means; every reader (reconciliation, redrive, canaries,
-- the local report) reads this view, never ops.dead_letters. The DLQ topic's BigQuery subscription
-- (write_metadata) stores only the message: data, attributes JSON, publish_time, message_id,
-- subscription_name; the explained columns are derived here from the attributes of the two kinds:
--   poison verdicts published by the function: reason, error_detail, stage, error_class,
--     source_subscription, source_message_id, pipeline_version, dead_lettered_at
--     (functions/enrichment/dead-letter-attributes.ts);
--   Pub/Sub's forwards after max delivery attempts: only CloudPubSubDeadLetterSourceDeliveryCount,
--     ...SourceSubscription, ...SourceTopicPublishTime (and the publisher's own attributes).
-- A column already filled in the table wins over the derivation.
SELECT
  * REPLACE (
    COALESCE(payload_string, SAFE_CONVERT_BYTES_TO_STRING(data)) AS payload_string,
    COALESCE(
      reason,
      SAFE.JSON_VALUE(attributes, '$.reason'),
      IF(SAFE.JSON_VALUE(attributes, '$.CloudPubSubDeadLetterSourceDeliveryCount') IS NOT NULL, 'max_delivery_attempts', NULL)
    ) AS reason,
    COALESCE(
      error_class,
      SAFE.JSON_VALUE(attributes, '$.error_class'),
      IF(SAFE.JSON_VALUE(attributes, '$.CloudPubSubDeadLetterSourceDeliveryCount') IS NOT NULL, 'transient', NULL)
    ) AS error_class,
    COALESCE(
      stage,
      SAFE.JSON_VALUE(attributes, '$.stage'),
      IF(SAFE.JSON_VALUE(attributes, '$.CloudPubSubDeadLetterSourceDeliveryCount') IS NOT NULL, 'delivery', NULL)
    ) AS stage,
    COALESCE(error_message, SAFE.JSON_VALUE(attributes, '$.error_detail')) AS error_message,
    COALESCE(
      subscription,
      SAFE.JSON_VALUE(attributes, '$.source_subscription'),
      SAFE.JSON_VALUE(attributes, '$.CloudPubSubDeadLetterSourceSubscription')
    ) AS subscription,
    COALESCE(delivery_attempt, SAFE_CAST(SAFE.JSON_VALUE(attributes, '$.CloudPubSubDeadLetterSourceDeliveryCount') AS INT64)) AS delivery_attempt,
    COALESCE(pipeline_version, SAFE.JSON_VALUE(attributes, '$.pipeline_version')) AS pipeline_version,
    COALESCE(dead_lettered_at, SAFE_CAST(SAFE.JSON_VALUE(attributes, '$.dead_lettered_at') AS TIMESTAMP), publish_time) AS dead_lettered_at
  )
FROM ops.dead_letters
