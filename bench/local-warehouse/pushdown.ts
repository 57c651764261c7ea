/**
 * Measures the local warehouse's pushdown at one day of 100k ledger orders vs 100k streamed events:
 *   npx tsx bench/local-warehouse/pushdown.ts [--orders 100000] [--shards 4,6,8]
 * Prints, per query, wall time and the exact size of every request sent to ZetaSQL.
 */
import { Command } from "commander";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { QueryParam, Row } from "../../functions/runtime/warehouse";
import { LocalWarehouse } from "../../local/warehouse/local-warehouse";
import { startZetaSql, type QueryOutput } from "../../local/zetasql";

const RUN_DATE = "2024-03-01";
const OTHER_DATE = "2024-03-02";

/** A day of ledger orders and their order.placed events: 1% duplicate writes, ~1% each missing / extra / amount drift. */
function syntheticDay(orders: number): { ledger: Row[]; events: Row[] } {
  const ledger: Row[] = [];
  const events: Row[] = [];
  const order = (i: number, date: string) => ({
    order_id: `ORD-${date}-${String(i).padStart(8, "0")}`,
    amount: `${10 + (i % 4000)}.${String(i % 100).padStart(2, "0")}`,
    store_id: `store-${String(i % 40).padStart(3, "0")}`,
    channel: ["web", "app", "store"][i % 3],
  });
  for (let i = 0; i < orders; i++) {
    const o = order(i, RUN_DATE);
    if (i % 100 !== 1) {
      ledger.push({
        order_id: o.order_id, order_date: RUN_DATE, placed_at: `${RUN_DATE}T10:00:00Z`, store_id: o.store_id, channel: o.channel, user_id: `user-${i % 20000}`,
        sku: `SKU-${i % 250}`, quantity: 1 + (i % 4), unit_price: o.amount, currency: "EUR", amount_usd: o.amount, status: "placed", exported_at: `${OTHER_DATE}T02:00:00Z`,
      });
    }
    if (i % 100 === 2) continue; // missing in stream
    const event = {
      event_id: `evt-${RUN_DATE}-${String(i).padStart(8, "0")}`, event_type: "order.placed", occurred_at: `${RUN_DATE}T10:00:00Z`, user_id: `user-${i % 20000}`,
      session_id: `sess-${i}`, store_id: o.store_id, channel: o.channel, sku: `SKU-${i % 250}`, quantity: 1 + (i % 4), unit_price: o.amount, currency: "EUR",
      order_id: o.order_id, attributes: '{"campaign":"spring"}', product_category: "apparel", product_brand: "acme", store_region: "eu-west",
      store_time_zone: "Europe/Amsterdam", revenue_usd: i % 100 === 3 ? "1.00" : o.amount, event_date: RUN_DATE, ingest_time: `${RUN_DATE}T10:00:01Z`,
      is_late: false, enrichment_status: "ok", source: "stream", pipeline_version: "1.0.0",
    };
    events.push(event);
    if (i % 100 === 4) events.push({ ...event, ingest_time: `${RUN_DATE}T10:00:02Z` }); // transport duplicate
  }
  // Other days' rows the partition filter must skip.
  for (let i = 0; i < orders / 10; i++) ledger.push({ ...ledger[i], order_id: order(i, OTHER_DATE).order_id, order_date: OTHER_DATE });
  return { ledger, events };
}

const JOIN_SQL = `
WITH s AS (
  SELECT order_id, revenue_usd FROM curated.commerce_events_dedup
  WHERE event_date = @run_date AND event_type = 'order.placed' AND source = 'stream'
    AND MOD(ABS(FARM_FINGERPRINT(order_id)), @shard_count) = @shard
),
l AS (
  SELECT order_id, amount_usd FROM ledger.orders
  WHERE order_date = @run_date AND status = 'placed' AND MOD(ABS(FARM_FINGERPRINT(order_id)), @shard_count) = @shard
)
SELECT COUNT(*) AS orders, COUNTIF(s.order_id IS NULL) AS missing_in_stream, COUNTIF(l.order_id IS NULL) AS extra_in_stream,
  COUNTIF(ROUND(s.revenue_usd, 2) != ROUND(l.amount_usd, 2)) AS amount_mismatch
FROM s FULL OUTER JOIN l ON s.order_id = l.order_id`;

const SUMMARY_SQL = "SELECT COUNT(*) AS orders, SUM(amount_usd) AS revenue_usd FROM ledger.orders WHERE order_date = @run_date";

function requestsLine(out: QueryOutput): string {
  const r = out.requests ?? [];
  return `requests=${r.length} max_request_bytes=${Math.max(...r.map((x) => x.bytes))} total_request_bytes=${r.reduce((n, x) => n + x.bytes, 0)}`;
}

async function main(): Promise<void> {
  const opts = new Command()
    .option("--orders <n>", "orders in the day", "100000")
    .option("--shards <list>", "shard counts to run", "4,6,8")
    .parse()
    .opts<{ orders: string; shards: string }>();
  const { ledger, events } = syntheticDay(Number(opts.orders));
  const stateDir = mkdtempSync(join(tmpdir(), "measure-pushdown-"));
  const zetasql = await startZetaSql();
  try {
    const wh = new LocalWarehouse({ stateDir, zetasql });
    await wh.insertRows("ledger.orders", ledger);
    await wh.insertRows("curated.commerce_events", events);
    console.log(`data: ledger.orders=${ledger.length} rows (${ledger.filter((r) => r.order_date !== RUN_DATE).length} of another day), curated.commerce_events=${events.length} rows`);
    const day: Record<string, QueryParam> = { run_date: { type: "DATE", value: RUN_DATE } };
    let t0 = performance.now();
    const summary = await zetasql.evaluateQuery(SUMMARY_SQL, { "ledger.orders": wh.rows("ledger.orders") }, day);
    console.log(`summary: rows=${JSON.stringify(summary.rows[0])} wall_ms=${Math.round(performance.now() - t0)} ${requestsLine(summary)}`);
    const tables = { "ledger.orders": wh.rows("ledger.orders"), "curated.commerce_events": wh.rows("curated.commerce_events") };
    for (const shardCount of opts.shards.split(",").map(Number)) {
      const totals = { orders: 0, missing_in_stream: 0, extra_in_stream: 0, amount_mismatch: 0 };
      const start = performance.now();
      for (let shard = 0; shard < shardCount; shard++) {
        t0 = performance.now();
        const out = await zetasql.evaluateQuery(JOIN_SQL, tables, { ...day, shard_count: { type: "INT64", value: shardCount }, shard: { type: "INT64", value: shard } });
        const row = out.rows[0] as typeof totals;
        for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += row[k];
        console.log(`join shard ${shard + 1}/${shardCount}: wall_ms=${Math.round(performance.now() - t0)} ${requestsLine(out)} rows_sent=${JSON.stringify(out.requests!.at(-1)!.rows)}`);
      }
      console.log(`join shards=${shardCount}: wall_ms=${Math.round(performance.now() - start)} ${JSON.stringify(totals)}`);
    }
  } finally {
    await zetasql.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
