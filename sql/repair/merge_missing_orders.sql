-- Repair: ledger orders that have no order.placed row in curated for run_date are inserted as
-- order.placed rows with source = 'ledger_repair'.
-- @param run_date DATE
-- @param code_version STRING
--
-- Idempotent: an order is matched when any order.placed row of the day has its order_id, whatever
-- the row's source, so a second run inserts nothing; event_id derives from the order_id.
-- Kept to one WHEN NOT MATCHED THEN INSERT clause: ZetaSQL's reference evaluator cannot execute
-- MERGE, and the local warehouse runs exactly this shape as INSERT ... WHERE NOT EXISTS
-- (local/zetasql/merge-as-insert.ts), so the same text runs locally and in BigQuery.
-- Both sides filter on their partition column: the target in the ON condition, the ledger in USING.
MERGE curated.commerce_events AS t
USING (
  SELECT
    o.order_id, o.placed_at, o.user_id, o.store_id, o.channel, o.sku, o.quantity, o.unit_price, o.currency,
    -- The ledger's booked USD amount, so the repaired row needs no FX lookup.
    o.amount_usd,
    p.category, p.brand, s.region, s.time_zone,
    CASE
      WHEN p.sku IS NULL THEN 'unknown_sku'
      WHEN s.store_id IS NULL THEN 'unknown_store'
      ELSE 'complete'
    END AS enrichment_status
  FROM ledger.orders AS o
  LEFT JOIN ref.products AS p ON p.sku = o.sku
  LEFT JOIN ref.stores AS s ON s.store_id = o.store_id
  WHERE o.order_date = @run_date AND o.status = 'placed'
) AS m
ON t.event_date = @run_date AND t.event_type = 'order.placed' AND t.order_id = m.order_id
WHEN NOT MATCHED BY TARGET THEN
  INSERT (
    event_id, event_type, occurred_at, user_id, session_id, store_id, channel, sku, quantity, unit_price,
    currency, order_id, attributes, product_category, product_brand, store_region, store_time_zone,
    revenue_usd, event_date, ingest_time, is_late, enrichment_status, source, pipeline_version
  )
  VALUES (
    CONCAT('ledger_repair:', m.order_id), 'order.placed', m.placed_at, m.user_id, NULL, m.store_id,
    m.channel, m.sku, m.quantity, m.unit_price, m.currency, m.order_id, NULL,
    m.category, m.brand, m.region, m.time_zone,
    m.amount_usd, @run_date, CURRENT_TIMESTAMP(), TRUE, m.enrichment_status,
    'ledger_repair', @code_version
  )
