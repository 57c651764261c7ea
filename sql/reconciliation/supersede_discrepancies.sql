-- Companion of supersede_runs.sql, run after it: removes the example rows of the date whose run row
-- is gone (superseded, or an attempt that wrote examples after its run row was superseded).
-- @param run_date DATE
DELETE FROM ops.reconciliation_discrepancies AS d
WHERE d.run_date = @run_date
  AND NOT EXISTS (
    SELECT 1 FROM ops.reconciliation_runs AS r WHERE r.run_date = @run_date AND r.run_id = d.run_id
  )
