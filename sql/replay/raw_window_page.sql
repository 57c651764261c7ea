-- One page of the raw mirror's messages published in [@from_time, @to_time), for `npm run replay`,
-- in (publish_time, message_id) order after the last message of the previous page (keyset paging:
-- a page is read once, however many messages share a publish time).
-- @param from_time TIMESTAMP
-- @param to_time TIMESTAMP
-- @param after_time TIMESTAMP
-- @param after_message_id STRING
-- @param page_size INT64
--
-- Partition-pruned: raw.commerce_events is partitioned by publish_time and the window bounds it.
SELECT message_id, publish_time, data, attributes
FROM raw.commerce_events
WHERE publish_time >= @from_time
  AND publish_time < @to_time
  AND (publish_time > @after_time OR (publish_time = @after_time AND message_id > @after_message_id))
ORDER BY publish_time, message_id
LIMIT @page_size
