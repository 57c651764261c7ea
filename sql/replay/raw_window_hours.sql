-- Messages of the raw mirror per hour (UTC) of publish time in [@from_time, @to_time): what
-- `npm run replay -- --dry-run` prints before anything is published. Partition-pruned on publish_time.
-- @param from_time TIMESTAMP
-- @param to_time TIMESTAMP
SELECT TIMESTAMP_TRUNC(publish_time, HOUR, 'UTC') AS hour, COUNT(*) AS messages
FROM raw.commerce_events
WHERE publish_time >= @from_time
  AND publish_time < @to_time
GROUP BY hour
ORDER BY hour
