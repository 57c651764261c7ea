-- The two sides of one business day's orders, as a list of CTEs (each followed by a comma) that
-- summary.sql and discrepancies.sql include right after their WITH (`-- include:` line, expanded
-- when the statements are loaded), so both compare exactly the same orders. Not a statement itself.
-- Parameters (declared by the including statement): run_date, late_allowance_hours, shard_count, shard.
--
-- Stream side: order.placed minus order.cancelled per order_id from curated.commerce_events_dedup,
-- rows written by the stream or by a replay / redrive of it (ledger_repair rows would hide what the
-- stream lost), and only stream rows ingested before the store's day closed + the allowance: a re-run
-- of an old date then sees what the night run saw plus what was replayed since, and an order streamed
-- after the allowance counts as missing. A replayed row is never a late_arrival (summary.sql counts
-- replayed_orders).
-- Ledger side: ledger.orders with status = 'placed'.
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
