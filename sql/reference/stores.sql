-- Store region and time zone: event_date is the store's local date of occurred_at.
SELECT store_id, region, time_zone
FROM ref.stores
