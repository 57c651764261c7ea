-- Records the letters one redrive run re-published, passed as one JSON array so the statement text is
-- fixed whatever the count (DML: see record_run.sql). Each element: {"dead_letter_message_id",
-- "replay_message_id"}. Written after publishing: a crash in between re-publishes them on the next run
-- (harmless, the function is idempotent by event_id) rather than leaving them marked but unsent.
-- @param redrive_id STRING
-- @param redriven_at TIMESTAMP
-- @param operator STRING
-- @param reason_filter STRING
-- @param window_from TIMESTAMP
-- @param window_to TIMESTAMP
-- @param forced BOOL
-- @param letters_json STRING
INSERT INTO ops.redrives (
  redrive_id, redriven_at, operator, reason_filter, window_from, window_to, forced, dead_letter_message_id, replay_message_id
)
SELECT
  @redrive_id, @redriven_at, @operator, @reason_filter, @window_from, @window_to, @forced,
  JSON_VALUE(e, '$.dead_letter_message_id'),
  JSON_VALUE(e, '$.replay_message_id')
FROM UNNEST(JSON_QUERY_ARRAY(@letters_json)) AS e
