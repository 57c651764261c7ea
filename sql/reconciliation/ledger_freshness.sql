-- Has the ledger export for run_date landed? Reads one partition's metadata-cheap columns.
-- @param run_date DATE
SELECT COUNT(*) AS ledger_rows, MAX(exported_at) AS last_exported_at
FROM ledger.orders
WHERE order_date = @run_date
