-- Writes a run's example discrepancies, passed as one JSON array parameter so the statement text
-- stays fixed whatever the number of rows (DML, not a streaming insert: see record_run.sql).
-- Each element: {"kind","order_id","store_id","channel","field","stream_value","ledger_value",
-- "difference" (decimal string),"detail"}; absent or null members become NULL.
-- @param run_id STRING
-- @param run_date DATE
-- @param examples_json STRING
INSERT INTO ops.reconciliation_discrepancies (
  run_id, run_date, kind, order_id, store_id, channel, field, stream_value, ledger_value, difference, detail
)
SELECT
  @run_id,
  @run_date,
  JSON_VALUE(e, '$.kind'),
  JSON_VALUE(e, '$.order_id'),
  JSON_VALUE(e, '$.store_id'),
  JSON_VALUE(e, '$.channel'),
  JSON_VALUE(e, '$.field'),
  JSON_VALUE(e, '$.stream_value'),
  JSON_VALUE(e, '$.ledger_value'),
  CAST(JSON_VALUE(e, '$.difference') AS NUMERIC),
  JSON_VALUE(e, '$.detail')
FROM UNNEST(JSON_QUERY_ARRAY(@examples_json)) AS e
