-- Product attributes the enrichment function joins onto events (cached in memory with a TTL).
SELECT sku, category, brand
FROM ref.products
