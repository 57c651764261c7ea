-- Stream parity canary: every event the raw mirror holds for the day (published on @run_date, UTC)
-- must be in curated.commerce_events_dedup or in the dead-letter path; any other was acked by the
-- enrichment function without being written: lost_in_enrichment. Needs no ledger, so it sees the
-- loss of carts, inventory and prices too. One row per lost event_id (at most @top_k, oldest first),
-- lost_events counts them all.
-- @param run_date DATE
-- @param late_allowance_hours INT64
-- @param shard_count INT64
-- @param shard INT64
-- @param top_k INT64
--
-- Windows: the raw mirror by publish day; curated by event_date from two days before (late events,
-- stores east of UTC) to one after (stores west of UTC); dead letters published that day until the
-- allowance after it (retries and backoff before a max-attempts forward). An event older than two days
-- at publish would be reported lost: widen the window before relying on such sources.
-- A message whose payload names no event_id matches its dead letter by source_message_id (poison
-- verdicts carry it; Pub/Sub's max-attempts forwards do not, but carry the payload).
--
-- Sharding (as discrepancies.sql, same @shard_count / @shard): every event is decided on its own
-- key, so the day can run as hash shards of that key (the event_id, or the message for a payload
-- without one), whose counts add up and whose top-K examples are merged and cut again
-- (functions/reconciliation/shards.ts). The filter sits on each read next to its partition filter:
-- the raw mirror's on the payload's event_id (the local warehouse prunes on it too), the curated
-- ids' on event_id; the dead letters are not sharded (few, and keyed two ways). All publishes of
-- one event fall in one shard. BigQuery runs @shard_count = 1: the filter is then TRUE.
WITH
raw_events AS (
  SELECT
    message_id,
    publish_time,
    SAFE.JSON_VALUE(payload, '$.event_id') AS event_id,
    SAFE.JSON_VALUE(payload, '$.event_type') AS event_type,
    COALESCE(SAFE.JSON_VALUE(payload, '$.order_id.string'), SAFE.JSON_VALUE(payload, '$.order_id')) AS order_id,
    SAFE.JSON_VALUE(payload, '$.store_id') AS store_id,
    SAFE.JSON_VALUE(payload, '$.channel') AS channel
  FROM (
    SELECT message_id, publish_time, SAFE_CONVERT_BYTES_TO_STRING(data) AS payload
    FROM raw.commerce_events
    WHERE publish_time >= TIMESTAMP(@run_date, 'UTC')
      AND publish_time < TIMESTAMP(DATE_ADD(@run_date, INTERVAL 1 DAY), 'UTC')
      AND MOD(ABS(FARM_FINGERPRINT(COALESCE(
        SAFE.JSON_VALUE(SAFE_CONVERT_BYTES_TO_STRING(data), '$.event_id'), CONCAT('message:', message_id)))), @shard_count) = @shard
  )
),
curated_ids AS (
  SELECT DISTINCT event_id
  FROM curated.commerce_events_dedup
  WHERE event_date BETWEEN DATE_SUB(@run_date, INTERVAL 2 DAY) AND DATE_ADD(@run_date, INTERVAL 1 DAY)
    AND MOD(ABS(FARM_FINGERPRINT(event_id)), @shard_count) = @shard
),
dead_letter_keys AS (
  SELECT
    SAFE.JSON_VALUE(payload_string, '$.event_id') AS event_id,
    SAFE.JSON_VALUE(attributes, '$.source_message_id') AS source_message_id
  FROM ops.dead_letters_explained
  WHERE publish_time >= TIMESTAMP(@run_date, 'UTC')
    AND publish_time < TIMESTAMP_ADD(TIMESTAMP(DATE_ADD(@run_date, INTERVAL 1 DAY), 'UTC'), INTERVAL @late_allowance_hours HOUR)
),
lost AS (
  SELECT
    COALESCE(r.event_id, CONCAT('message:', r.message_id)) AS lost_key,
    r.*
  FROM raw_events AS r
  LEFT JOIN curated_ids AS c ON c.event_id = r.event_id
  LEFT JOIN (SELECT DISTINCT event_id FROM dead_letter_keys WHERE event_id IS NOT NULL) AS de ON de.event_id = r.event_id
  LEFT JOIN (SELECT DISTINCT source_message_id FROM dead_letter_keys WHERE source_message_id IS NOT NULL) AS dm ON dm.source_message_id = r.message_id
  WHERE c.event_id IS NULL AND de.event_id IS NULL AND dm.source_message_id IS NULL
),
lost_events AS (
  -- A duplicate publish of a lost event is one lost event: its first message stands for it.
  SELECT * FROM lost
  WHERE TRUE
  QUALIFY ROW_NUMBER() OVER (PARTITION BY lost_key ORDER BY publish_time, message_id) = 1
)
SELECT
  event_id, event_type, order_id, store_id, channel, message_id, publish_time,
  UNIX_MICROS(publish_time) AS publish_micros,
  COUNT(*) OVER () AS lost_events
FROM lost_events
WHERE TRUE
QUALIFY ROW_NUMBER() OVER (ORDER BY publish_time, message_id) <= @top_k
ORDER BY publish_time, message_id
