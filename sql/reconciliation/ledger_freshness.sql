-- Is the ledger export for run_date complete? The export writes a ledger.load_markers row as its
-- last step, announcing how many ledger.orders rows it wrote for the date; the newest marker counts.
-- @param run_date DATE
WITH
ledger AS (
  SELECT COUNT(*) AS ledger_rows, MAX(exported_at) AS last_exported_at
  FROM ledger.orders
  WHERE order_date = @run_date
),
marker AS (
  SELECT ARRAY_AGG(STRUCT(expected_rows, loaded_at) ORDER BY loaded_at DESC LIMIT 1)[SAFE_OFFSET(0)] AS newest
  FROM ledger.load_markers
  WHERE order_date = @run_date
)
SELECT
  ledger.ledger_rows,
  ledger.last_exported_at,
  marker.newest.expected_rows AS marker_expected_rows,
  marker.newest.loaded_at AS marker_loaded_at
FROM ledger CROSS JOIN marker
