-- After a run's rows are written, removes the runs of the same run_date that started before the
-- date's newest result (pass, warn, fail or late_source; ties broken by run_id). Every run calls it
-- after its own write, so whatever the overlap, the last call leaves exactly one result: the run
-- that started last. Runs started after the result (an error, or a run not yet written) stay.
-- @param run_date DATE
DELETE FROM ops.reconciliation_runs AS r
WHERE r.run_date = @run_date
  AND EXISTS (
    SELECT 1
    FROM ops.reconciliation_runs AS w
    WHERE w.run_date = @run_date
      AND w.status IN ('pass', 'warn', 'fail', 'late_source')
      AND (w.started_at > r.started_at OR (w.started_at = r.started_at AND w.run_id > r.run_id))
  )
