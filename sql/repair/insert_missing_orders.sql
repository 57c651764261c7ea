-- Repair: insert ledger orders that have no order.placed row in curated for run_date, as
-- order.placed rows with source = 'ledger_repair'.
-- @param run_date DATE
-- @param code_version STRING
--
-- Idempotent: an order counts as present if any order.placed row of the day has its order_id,
-- whatever the row's source, so a second run inserts nothing; event_id derives from the order_id.
-- Written as INSERT ... SELECT with an anti-join rather than MERGE ... WHEN NOT MATCHED BY TARGET
-- THEN INSERT (the same effect): ZetaSQL's reference evaluator cannot execute MERGE ("does not
-- support statement kind: MergeStmt"), and this text must run, and be tested, locally as in BigQuery.
INSERT INTO curated.commerce_events (
  event_id, event_type, occurred_at, user_id, session_id, store_id, channel, sku, quantity, unit_price,
  currency, order_id, attributes, product_category, product_brand, store_region, store_time_zone,
  revenue_usd, event_date, ingest_time, is_late, enrichment_status, source, pipeline_version
)
SELECT
  CONCAT('ledger_repair:', o.order_id), 'order.placed', o.placed_at, o.user_id, NULL, o.store_id,
  o.channel, o.sku, o.quantity, o.unit_price, o.currency, o.order_id, NULL,
  p.category, p.brand, s.region, s.time_zone,
  -- The ledger's booked USD amount, so the repaired row needs no FX lookup.
  o.amount_usd, @run_date, CURRENT_TIMESTAMP(), TRUE,
  CASE
    WHEN p.sku IS NULL THEN 'unknown_sku'
    WHEN s.store_id IS NULL THEN 'unknown_store'
    ELSE 'complete'
  END,
  'ledger_repair', @code_version
FROM ledger.orders AS o
LEFT JOIN (
  SELECT DISTINCT order_id
  FROM curated.commerce_events
  WHERE event_date = @run_date AND event_type = 'order.placed' AND order_id IS NOT NULL
) AS present ON present.order_id = o.order_id
LEFT JOIN ref.products AS p ON p.sku = o.sku
LEFT JOIN ref.stores AS s ON s.store_id = o.store_id
WHERE o.order_date = @run_date AND o.status = 'placed' AND present.order_id IS NULL
