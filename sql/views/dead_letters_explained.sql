-- @view ops.dead_letters_explained
-- ops.dead_letters with the explained columns filled from what the BigQuery subscription writes:
-- it stores only the message (data, attributes JSON, publish_time, message_id); our poison verdicts
-- carry reason / stage / error_class / error_detail as attributes, and Pub/Sub's max-attempt
-- forwards carry CloudPubSubDeadLetterSource* attributes. Rows landed locally already have them.
SELECT
  * REPLACE (
    COALESCE(payload_string, SAFE_CONVERT_BYTES_TO_STRING(data)) AS payload_string,
    COALESCE(
      reason,
      SAFE.JSON_VALUE(attributes, '$.reason'),
      IF(SAFE.JSON_VALUE(attributes, '$.CloudPubSubDeadLetterSourceDeliveryCount') IS NOT NULL, 'max_delivery_attempts', NULL)
    ) AS reason,
    COALESCE(error_class, SAFE.JSON_VALUE(attributes, '$.error_class')) AS error_class,
    COALESCE(stage, SAFE.JSON_VALUE(attributes, '$.stage')) AS stage,
    COALESCE(error_message, SAFE.JSON_VALUE(attributes, '$.error_detail')) AS error_message,
    COALESCE(subscription, SAFE.JSON_VALUE(attributes, '$.CloudPubSubDeadLetterSourceSubscription')) AS subscription,
    COALESCE(delivery_attempt, SAFE_CAST(SAFE.JSON_VALUE(attributes, '$.CloudPubSubDeadLetterSourceDeliveryCount') AS INT64)) AS delivery_attempt
  )
FROM ops.dead_letters
