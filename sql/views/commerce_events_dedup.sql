-- @view curated.commerce_events_dedup
-- curated.commerce_events with every duplicate removed: one row per event_id however its copies
-- differ (a redelivery, a conflicting payload, a publisher retry that re-stamped occurred_at across a
-- store's midnight so the copies fall on two event_dates). Every reader goes through this view.
-- Winner: the first written, i.e. the earliest ingest_time; on equal ingest_time the earlier
-- event_date, then the smaller fingerprint of the whole row (deterministic, whatever the row order).
-- Copies on different days are compared one day either side (the horizon, in README): a retry
-- re-stamped across midnight lands on the next day; copies further apart both stay.
-- Partition pruning: a reader's `event_date = ...` filter applies to `c` directly (the window is keyed
-- by event_date first), and `earlier` reads only the days next to the ones `c` reads.
SELECT c.*
FROM curated.commerce_events AS c
LEFT JOIN (SELECT event_id, event_date, ingest_time FROM curated.commerce_events) AS earlier
  ON earlier.event_id = c.event_id
  AND earlier.event_date BETWEEN DATE_SUB(c.event_date, INTERVAL 1 DAY) AND DATE_ADD(c.event_date, INTERVAL 1 DAY)
  AND earlier.event_date != c.event_date
  AND (earlier.ingest_time < c.ingest_time OR (earlier.ingest_time = c.ingest_time AND earlier.event_date < c.event_date))
WHERE earlier.event_id IS NULL
QUALIFY ROW_NUMBER() OVER (PARTITION BY c.event_date, c.event_id ORDER BY c.ingest_time, FARM_FINGERPRINT(TO_JSON_STRING(c))) = 1
