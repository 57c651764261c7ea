-- Recompute parity canary, its sample: curated events of the day beside the raw mirror's original
-- payload, for the reconciliation to re-run the enrichment core over and
-- compare column by column (functions/reconciliation/recompute-parity.ts).
-- @param run_date DATE
-- @param sample_size INT64
-- @param shard_count INT64
-- @param shard INT64
--
-- Deterministic: the first @sample_size events of the day by FARM_FINGERPRINT(event_id), so every run
-- of a date compares the same events, spread over the whole day whatever the publish order.
-- Sharded like lost_in_enrichment.sql (event_id hash, @shard_count = 1 in BigQuery): each shard gives
-- its own first @sample_size with sample_key, and the caller keeps the smallest keys of all shards,
-- which are the unsharded sample.
-- Windows as in lost_in_enrichment.sql: the raw mirror by publish day (UTC); curated from two days
-- before to one after. Rows the ledger repair inserted have no message to recompute and are left out.
-- A duplicate publish is one event: its first message stands for it (the dedup view keeps the first
-- written copy; a conflicting later copy of different content can show as a mismatch).
-- Curated values come back as text in one format per type (timestamps as RFC 3339 UTC with
-- microseconds, NUMERIC and DATE as BigQuery casts them), so BigQuery and the local warehouse
-- hand the comparison the same strings. Message attributes are not read: the only column they decide
-- is `source` (replay), which records the path, not the enrichment.
WITH
raw_events AS (
  SELECT
    SAFE.JSON_VALUE(payload, '$.event_id') AS event_id,
    message_id,
    payload
  FROM (
    SELECT message_id, publish_time, SAFE_CONVERT_BYTES_TO_STRING(data) AS payload
    FROM raw.commerce_events
    WHERE publish_time >= TIMESTAMP(@run_date, 'UTC')
      AND publish_time < TIMESTAMP(DATE_ADD(@run_date, INTERVAL 1 DAY), 'UTC')
      AND MOD(ABS(FARM_FINGERPRINT(COALESCE(
        SAFE.JSON_VALUE(SAFE_CONVERT_BYTES_TO_STRING(data), '$.event_id'), CONCAT('message:', message_id)))), @shard_count) = @shard
  )
  WHERE SAFE.JSON_VALUE(payload, '$.event_id') IS NOT NULL
  QUALIFY ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY publish_time, message_id) = 1
),
curated_rows AS (
  SELECT *
  FROM curated.commerce_events_dedup
  WHERE event_date BETWEEN DATE_SUB(@run_date, INTERVAL 2 DAY) AND DATE_ADD(@run_date, INTERVAL 1 DAY)
    AND source != 'ledger_repair'
    AND MOD(ABS(FARM_FINGERPRINT(event_id)), @shard_count) = @shard
)
SELECT
  CAST(FARM_FINGERPRINT(c.event_id) AS STRING) AS sample_key,
  r.message_id,
  r.payload,
  c.event_id,
  c.event_type,
  FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%E6SZ', c.occurred_at, 'UTC') AS occurred_at,
  c.user_id,
  c.session_id,
  c.store_id,
  c.channel,
  c.sku,
  CAST(c.quantity AS STRING) AS quantity,
  CAST(c.unit_price AS STRING) AS unit_price,
  c.currency,
  c.order_id,
  c.attributes,
  c.product_category,
  c.product_brand,
  c.store_region,
  c.store_time_zone,
  CAST(c.revenue_usd AS STRING) AS revenue_usd,
  CAST(c.event_date AS STRING) AS event_date,
  FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%E6SZ', c.ingest_time, 'UTC') AS ingest_time,
  CAST(c.is_late AS STRING) AS is_late,
  c.enrichment_status,
  c.source,
  c.pipeline_version
FROM raw_events AS r
JOIN curated_rows AS c ON c.event_id = r.event_id
ORDER BY FARM_FINGERPRINT(c.event_id), c.event_id
LIMIT @sample_size
