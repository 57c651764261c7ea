-- Order counts and USD revenue on both sides for one business day: overall, by store, by channel.
-- @param run_date DATE
-- @param late_allowance_hours INT64
-- @param shard_count INT64
-- @param shard INT64
--
-- The two sides are defined exactly as in discrepancies.sql (see there); each side is grouped by its
-- own store_id / channel, so an order booked to another store shows on both stores.
-- replayed_orders: matched orders whose streamed row came from a replay or redrive (source = replay).
-- Run per order_id hash shard like discrepancies.sql: counts and sums of the shards add up.
WITH
-- begin shared: order sides (kept identical in summary.sql; a test holds them equal)
stream_events AS (
  SELECT
    event_id, event_type, order_id, store_id, channel, quantity, unit_price, currency, revenue_usd, ingest_time, source,
    -- The business day closes at local midnight of the store (UTC when the store is unknown).
    TIMESTAMP(DATE_ADD(@run_date, INTERVAL 1 DAY), COALESCE(store_time_zone, 'UTC')) AS day_close
  FROM curated.commerce_events_dedup
  WHERE event_date = @run_date
    AND event_type IN ('order.placed', 'order.cancelled')
    -- A replay exists to restore the stream: its rows count as streamed (the view keeps the first
    -- written copy, so a replayed order the stream already had stays a stream row).
    AND source IN ('stream', 'replay')
    AND order_id IS NOT NULL
    -- One hash shard of the orders (see the header); @shard_count = 1 reads every order.
    AND MOD(ABS(FARM_FINGERPRINT(order_id)), @shard_count) = @shard
),
stream_in_window AS (
  SELECT * FROM stream_events
  -- Replayed rows are written after the incident, whenever that is: the allowance is the stream's.
  WHERE source = 'replay' OR ingest_time < TIMESTAMP_ADD(day_close, INTERVAL @late_allowance_hours HOUR)
),
stream_cancelled AS (
  SELECT DISTINCT order_id FROM stream_in_window WHERE event_type = 'order.cancelled'
),
stream_placed AS (
  SELECT order_id, store_id, channel, quantity, unit_price, currency, revenue_usd, ingest_time, day_close, source
  FROM stream_in_window
  WHERE event_type = 'order.placed'
  -- An order published twice under two event_ids is one order here (reported as duplicate_in_stream).
  QUALIFY ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY ingest_time, event_id) = 1
),
stream_orders AS (
  SELECT p.* FROM stream_placed AS p LEFT JOIN stream_cancelled AS c USING (order_id) WHERE c.order_id IS NULL
),
ledger_all AS (
  SELECT order_id, store_id, channel, quantity, unit_price, currency, amount_usd, status
  FROM ledger.orders
  WHERE order_date = @run_date
    AND MOD(ABS(FARM_FINGERPRINT(order_id)), @shard_count) = @shard
),
ledger_orders AS (
  SELECT * FROM ledger_all WHERE status = 'placed'
),
-- end shared: order sides
sides AS (
  SELECT s.store_id, s.channel, 1 AS stream_orders, 0 AS ledger_orders,
    COALESCE(s.revenue_usd, 0) AS stream_revenue_usd, CAST(0 AS NUMERIC) AS ledger_revenue_usd,
    -- Matched orders (in the ledger too) whose streamed row a replay or redrive wrote.
    IF(s.source = 'replay' AND l.order_id IS NOT NULL, 1, 0) AS replayed_orders
  FROM stream_orders AS s
  LEFT JOIN ledger_orders AS l ON l.order_id = s.order_id
  UNION ALL
  SELECT store_id, channel, 0, 1, CAST(0 AS NUMERIC), amount_usd, 0
  FROM ledger_orders
)
SELECT 'all' AS dimension, 'all' AS dimension_value,
  SUM(stream_orders) AS stream_orders, SUM(ledger_orders) AS ledger_orders,
  SUM(stream_revenue_usd) AS stream_revenue_usd, SUM(ledger_revenue_usd) AS ledger_revenue_usd,
  SUM(replayed_orders) AS replayed_orders
FROM sides
UNION ALL
SELECT 'store', store_id, SUM(stream_orders), SUM(ledger_orders), SUM(stream_revenue_usd), SUM(ledger_revenue_usd), SUM(replayed_orders)
FROM sides
GROUP BY store_id
UNION ALL
SELECT 'channel', channel, SUM(stream_orders), SUM(ledger_orders), SUM(stream_revenue_usd), SUM(ledger_revenue_usd), SUM(replayed_orders)
FROM sides
GROUP BY channel
ORDER BY dimension, dimension_value
