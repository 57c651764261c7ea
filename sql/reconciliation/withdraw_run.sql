-- Removes the rows of one run that failed part-way (its summary may be written, its examples not),
-- so a failed attempt never stands beside, or in place of, the date's last completed run.
-- @param run_date DATE
-- @param run_id STRING
DELETE FROM ops.reconciliation_runs
WHERE run_date = @run_date AND run_id = @run_id
