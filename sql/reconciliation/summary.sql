-- Order counts and USD revenue on both sides for one business day: overall, by store, by channel.
-- @param run_date DATE
-- @param late_allowance_hours INT64
-- @param shard_count INT64
-- @param shard INT64
--
-- The two sides are those discrepancies.sql compares (_order_sides.sql); each side is grouped by its
-- own store_id / channel, so an order booked to another store shows on both stores.
-- replayed_orders: matched orders whose streamed row came from a replay or redrive (source = replay).
-- Run per order_id hash shard like discrepancies.sql: counts and sums of the shards add up.
WITH
-- include: reconciliation/_order_sides.sql
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
