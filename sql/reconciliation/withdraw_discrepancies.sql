-- Companion of withdraw_run.sql for the example rows.
-- @param run_date DATE
-- @param run_id STRING
DELETE FROM ops.reconciliation_discrepancies
WHERE run_date = @run_date AND run_id = @run_id
