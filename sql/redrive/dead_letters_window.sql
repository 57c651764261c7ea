-- Dead letters to redrive: published in [@from_time, @to_time), of @reason (NULL: every reason), read
-- through ops.dead_letters_explained (the one definition of a dead letter's reason). Letters an earlier
-- redrive already re-published (ops.redrives) are left out unless @force, so a letter is not redriven
-- twice by accident. Partition-pruned on both tables: a letter is redriven only after it was dead-lettered.
-- @param from_time TIMESTAMP
-- @param to_time TIMESTAMP
-- @param reason STRING
-- @param force BOOL
SELECT d.message_id, d.publish_time, d.data, d.attributes, d.reason
FROM ops.dead_letters_explained AS d
LEFT JOIN (
  SELECT DISTINCT dead_letter_message_id
  FROM ops.redrives
  WHERE redriven_at >= @from_time
) AS done ON done.dead_letter_message_id = d.message_id
WHERE d.publish_time >= @from_time
  AND d.publish_time < @to_time
  AND (@reason IS NULL OR d.reason = @reason)
  AND (@force OR done.dead_letter_message_id IS NULL)
ORDER BY d.publish_time, d.message_id
