-- After a run's rows are written, removes every other run of the same run_date: a re-run replaces
-- the date's results, and there is never a moment with no row for it.
-- @param run_date DATE
-- @param run_id STRING
DELETE FROM ops.reconciliation_runs
WHERE run_date = @run_date AND run_id != @run_id
