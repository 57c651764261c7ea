-- @view curated.commerce_events_dedup
-- curated.commerce_events with transport duplicates removed: the first write of each event_id wins.
-- Delivery is at-least-once, so the table may hold an event more than once; every reader goes through
-- this view. PARTITION BY starts with event_date (the partition column): duplicates of one event_id
-- share its occurred_at and so its event_date, and keying the window on it lets BigQuery push a
-- reader's `event_date = ...` filter below the window, so require_partition_filter is satisfied and
-- one day is scanned, not the table.
SELECT *
FROM curated.commerce_events
WHERE TRUE
QUALIFY ROW_NUMBER() OVER (PARTITION BY event_date, event_id ORDER BY ingest_time) = 1
