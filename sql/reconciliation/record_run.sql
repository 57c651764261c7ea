-- Writes the summary row of one run. DML rather than a streaming insert: rows still in BigQuery's
-- streaming buffer cannot be deleted, and a re-run must delete this row (supersede_runs.sql).
-- @param run_id STRING
-- @param run_date DATE
-- @param environment STRING
-- @param code_version STRING
-- @param config_hash STRING
-- @param status STRING
-- @param started_at TIMESTAMP
-- @param finished_at TIMESTAMP
-- @param duration_ms INT64
-- @param bytes_processed INT64
-- @param stream_orders INT64
-- @param ledger_orders INT64
-- @param stream_revenue_usd NUMERIC
-- @param ledger_revenue_usd NUMERIC
-- @param missing_in_stream INT64
-- @param extra_in_stream INT64
-- @param duplicate_in_stream INT64
-- @param amount_mismatch INT64
-- @param late_arrival INT64
-- @param explained_by_dlq INT64
-- @param count_drift_ratio FLOAT64
-- @param count_drift_threshold FLOAT64
-- @param revenue_drift_ratio FLOAT64
-- @param revenue_drift_threshold FLOAT64
-- @param count_drift_trend FLOAT64
-- @param revenue_drift_trend FLOAT64
-- @param error_message STRING
-- @param lost_in_enrichment INT64
-- @param parity_sampled INT64
-- @param parity_mismatch INT64
INSERT INTO ops.reconciliation_runs (
  run_id, run_date, environment, code_version, config_hash, status, started_at, finished_at, duration_ms,
  bytes_processed, stream_orders, ledger_orders, stream_revenue_usd, ledger_revenue_usd,
  missing_in_stream, extra_in_stream, duplicate_in_stream, amount_mismatch, late_arrival, explained_by_dlq,
  count_drift_ratio, count_drift_threshold, revenue_drift_ratio, revenue_drift_threshold,
  count_drift_trend, revenue_drift_trend, error_message, lost_in_enrichment, parity_sampled, parity_mismatch
)
VALUES (
  @run_id, @run_date, @environment, @code_version, @config_hash, @status, @started_at, @finished_at, @duration_ms,
  @bytes_processed, @stream_orders, @ledger_orders, @stream_revenue_usd, @ledger_revenue_usd,
  @missing_in_stream, @extra_in_stream, @duplicate_in_stream, @amount_mismatch, @late_arrival, @explained_by_dlq,
  @count_drift_ratio, @count_drift_threshold, @revenue_drift_ratio, @revenue_drift_threshold,
  @count_drift_trend, @revenue_drift_trend, @error_message, @lost_in_enrichment, @parity_sampled, @parity_mismatch
)
