-- @param since DATE
-- FX rates to USD for a recent window only: late events still find the rate of their day.
SELECT currency, CAST(rate_date AS STRING) AS rate_date, CAST(usd_per_unit AS STRING) AS usd_per_unit
FROM ref.fx_rates
WHERE rate_date >= @since
