-- Drift ratios of the runs of the 7 days before run_date (completed runs only), for the trend.
-- @param run_date DATE
SELECT run_date, count_drift_ratio, revenue_drift_ratio
FROM ops.reconciliation_runs
WHERE run_date BETWEEN DATE_SUB(@run_date, INTERVAL 7 DAY) AND DATE_SUB(@run_date, INTERVAL 1 DAY)
  AND status IN ('pass', 'warn', 'fail')
ORDER BY run_date
