-- Order-level discrepancies between the stream and the ledger for one business day.
-- @param run_date DATE
-- @param late_allowance_hours INT64
-- @param shard_count INT64
-- @param shard INT64
-- @param top_k INT64
-- @param amount_tolerance NUMERIC
--
-- The stream and ledger sides of the day's orders: _order_sides.sql (shared with summary.sql).
-- One row per discrepancy (amount_mismatch: one per differing field), at most @top_k examples per
-- kind, largest differences first; kind_rows / kind_orders count them all, before the cut.
--
-- Sharding: every kind is decided per order_id, so the day can be reconciled as @shard_count hash
-- shards of order_id (@shard in 0..@shard_count-1), whose rows and counts add up and whose
-- top-K examples are merged and cut again (functions/reconciliation/shards.ts). The shard filter
-- sits on each table read, next to its partition filter, so a shard reads only its orders; the
-- dead letters are not sharded (order_id comes out of a JSON payload, and they are few), they only
-- explain the shard's own missing orders. BigQuery runs @shard_count = 1: the filter is then TRUE.
WITH
-- include: reconciliation/_order_sides.sql
-- Keys of dead-lettered order events, read through ops.dead_letters_explained (the one definition
-- of a dead letter's reason, for poison verdicts and Pub/Sub max-attempt forwards alike).
-- A dead letter's publish_time can precede run_date in UTC (stores east of UTC) or follow it by a
-- day plus the allowance (stores west of UTC, late events). The payload is Avro JSON on the
-- schema'd topic ({"order_id":{"string":"O-1"}}) or plain JSON when it came another way.
dead_letter_orders AS (
  SELECT
    order_id,
    ANY_VALUE(reason) AS reason
  FROM (
    SELECT
      COALESCE(
        SAFE.JSON_VALUE(payload_string, '$.order_id.string'),
        SAFE.JSON_VALUE(payload_string, '$.order_id')
      ) AS order_id,
      reason
    FROM ops.dead_letters_explained
    WHERE publish_time >= TIMESTAMP(DATE_SUB(@run_date, INTERVAL 1 DAY))
      AND publish_time < TIMESTAMP_ADD(TIMESTAMP(DATE_ADD(@run_date, INTERVAL 2 DAY)), INTERVAL @late_allowance_hours HOUR)
  )
  WHERE order_id IS NOT NULL
  GROUP BY order_id
),
-- Placed orders streamed only after the allowance: missing, but worth saying why.
streamed_too_late AS (
  SELECT order_id, MIN(ingest_time) AS ingest_time
  FROM stream_events
  WHERE event_type = 'order.placed'
    AND ingest_time >= TIMESTAMP_ADD(day_close, INTERVAL @late_allowance_hours HOUR)
  GROUP BY order_id
),
compared AS (
  SELECT
    COALESCE(s.order_id, l.order_id) AS order_id,
    s.order_id IS NOT NULL AS in_stream,
    l.order_id IS NOT NULL AS in_ledger,
    s.store_id AS stream_store_id, s.channel AS stream_channel, s.quantity AS stream_quantity,
    s.unit_price AS stream_unit_price, s.currency AS stream_currency, s.revenue_usd AS stream_revenue_usd,
    l.store_id AS ledger_store_id, l.channel AS ledger_channel, l.quantity AS ledger_quantity,
    l.unit_price AS ledger_unit_price, l.currency AS ledger_currency, l.amount_usd AS ledger_amount_usd
  FROM stream_orders AS s
  FULL OUTER JOIN ledger_orders AS l ON s.order_id = l.order_id
),
found AS (
  -- In the ledger, not in the stream: explained when the dead-letter path holds the order.
  SELECT
    IF(d.order_id IS NULL, 'missing_in_stream', 'explained_by_dlq') AS kind,
    c.order_id, c.ledger_store_id AS store_id, c.ledger_channel AS channel,
    CAST(NULL AS STRING) AS field,
    CAST(NULL AS STRING) AS stream_value,
    CAST(c.ledger_amount_usd AS STRING) AS ledger_value,
    CAST(NULL AS NUMERIC) AS difference,
    CASE
      WHEN d.order_id IS NOT NULL THEN CONCAT('dead-lettered: ', COALESCE(d.reason, 'reason unknown'))
      WHEN x.order_id IS NOT NULL THEN 'cancelled in stream'
      WHEN t.order_id IS NOT NULL THEN CONCAT('streamed after the allowance, at ', FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%E*SZ', t.ingest_time, 'UTC'))
    END AS detail
  FROM compared AS c
  LEFT JOIN dead_letter_orders AS d ON d.order_id = c.order_id
  LEFT JOIN stream_cancelled AS x ON x.order_id = c.order_id
  LEFT JOIN streamed_too_late AS t ON t.order_id = c.order_id
  WHERE NOT c.in_stream

  UNION ALL
  -- Streamed, not in the ledger.
  SELECT
    'extra_in_stream', c.order_id, c.stream_store_id, c.stream_channel,
    NULL, CAST(c.stream_revenue_usd AS STRING), CAST(NULL AS STRING), NULL,
    IF(la.status = 'cancelled', 'cancelled in ledger', NULL)
  FROM compared AS c
  LEFT JOIN ledger_all AS la ON la.order_id = c.order_id
  WHERE NOT c.in_ledger

  UNION ALL
  -- On both sides, a field differs. USD amounts differ when they are more than @amount_tolerance apart
  -- (FX conversion may round differently on the two sides); a NULL on one side only differs.
  SELECT 'amount_mismatch', c.order_id, c.ledger_store_id, c.ledger_channel, m.field, m.stream_value, m.ledger_value, m.difference, NULL
  FROM compared AS c
  CROSS JOIN UNNEST([
    STRUCT(
      'amount_usd' AS field,
      CAST(c.stream_revenue_usd AS STRING) AS stream_value,
      CAST(c.ledger_amount_usd AS STRING) AS ledger_value,
      c.stream_revenue_usd - c.ledger_amount_usd AS difference,
      COALESCE(ABS(c.stream_revenue_usd - c.ledger_amount_usd) > @amount_tolerance,
        c.stream_revenue_usd IS DISTINCT FROM c.ledger_amount_usd) AS differs
    ),
    STRUCT('quantity', CAST(c.stream_quantity AS STRING), CAST(c.ledger_quantity AS STRING),
      CAST(c.stream_quantity - c.ledger_quantity AS NUMERIC), c.stream_quantity IS DISTINCT FROM c.ledger_quantity),
    STRUCT('unit_price', CAST(c.stream_unit_price AS STRING), CAST(c.ledger_unit_price AS STRING),
      c.stream_unit_price - c.ledger_unit_price, c.stream_unit_price IS DISTINCT FROM c.ledger_unit_price),
    STRUCT('currency', c.stream_currency, c.ledger_currency, CAST(NULL AS NUMERIC), c.stream_currency IS DISTINCT FROM c.ledger_currency)
  ]) AS m
  WHERE c.in_stream AND c.in_ledger AND m.differs

  UNION ALL
  -- Streamed after the store's day closed, within the allowance.
  SELECT
    'late_arrival', s.order_id, s.store_id, s.channel,
    'ingest_time',
    FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%E*SZ', s.ingest_time, 'UTC'),
    CAST(NULL AS STRING), NULL,
    CONCAT('day closed at ', FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%E*SZ', s.day_close, 'UTC'))
  FROM stream_orders AS s
  WHERE s.ingest_time >= s.day_close AND s.source = 'stream'

  UNION ALL
  -- Written more than once before dedupe: transport redelivery (same event_id) or a republish
  -- under a new event_id (the dedup view cannot remove that one).
  SELECT
    'duplicate_in_stream', order_id, MIN(store_id), MIN(channel),
    'rows', CAST(COUNT(*) AS STRING), CAST(NULL AS STRING), NULL,
    CONCAT(CAST(COUNT(*) AS STRING), ' rows, ', CAST(COUNT(DISTINCT event_id) AS STRING), ' event_ids')
  FROM curated.commerce_events
  WHERE event_date = @run_date AND event_type = 'order.placed' AND source = 'stream' AND order_id IS NOT NULL
    AND MOD(ABS(FARM_FINGERPRINT(order_id)), @shard_count) = @shard
  GROUP BY order_id
  HAVING COUNT(*) > 1
),
kind_totals AS (
  SELECT kind, COUNT(*) AS kind_rows, COUNT(DISTINCT order_id) AS kind_orders FROM found GROUP BY kind
)
SELECT f.kind, f.order_id, f.store_id, f.channel, f.field, f.stream_value, f.ledger_value, f.difference, f.detail,
  t.kind_rows, t.kind_orders
FROM found AS f
JOIN kind_totals AS t USING (kind)
WHERE TRUE
QUALIFY ROW_NUMBER() OVER (PARTITION BY f.kind ORDER BY ABS(f.difference) DESC, f.order_id, f.field) <= @top_k
ORDER BY f.kind, ABS(f.difference) DESC, f.order_id, f.field
