// npm run bench:parity: the stream parity canary (sql/parity/lost_in_enrichment.sql) on the local
// warehouse over the bench day of bench/reconcile (100k ledger orders): every curated event also in the
// raw mirror as its published message, BENCH_LOST of them dropped from curated (acked without writing).
// Last line: parity: raw_rows=<n> wall_ms=<n> found=<n> injected=<n>   (or refused=<why>)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../config";
import { settingsFromConfig } from "../../functions/reconciliation/env";
import { streamParity } from "../../functions/reconciliation/parity-canaries";
import { loadReconciliationSql } from "../../functions/reconciliation/sql-files";
import type { Row } from "../../functions/runtime/warehouse";
import { LocalWarehouse } from "../../local/warehouse/local-warehouse";
import { startZetaSql } from "../../local/zetasql";
import { generateDay } from "../reconcile/generate-day";

const RUN_DATE = "2024-05-02";
const ORDERS = Number(process.env.BENCH_ORDERS ?? 100_000);
const LOST = Number(process.env.BENCH_LOST ?? 100);

/** The message the raw mirror holds for a curated event: its Avro JSON payload, published at ingest. */
function rawRow(c: Row, i: number): Row {
  const payload = JSON.stringify({ event_id: c.event_id, event_type: c.event_type, store_id: c.store_id, channel: c.channel, order_id: c.order_id === null ? null : { string: c.order_id } });
  return { subscription_name: "projects/bench/subscriptions/raw-mirror", message_id: `m${i}`, publish_time: c.ingest_time, data: Buffer.from(payload).toString("base64"), attributes: "{}" };
}

async function main(): Promise<void> {
  const settings = settingsFromConfig(loadConfig("dev"), "bench");
  const day = generateDay({ runDate: RUN_DATE, orders: ORDERS, inject: {}, lateAllowanceHours: settings.lateAllowanceHours, seed: 20240502 });
  // The canary reads the raw mirror by UTC publish day: keep the events published on RUN_DATE.
  const published = day.curated.filter((c) => String(c.ingest_time).startsWith(RUN_DATE));
  const raw = published.map(rawRow);
  const curated = published.slice(LOST);
  const zetasql = await startZetaSql();
  const stateDir = mkdtempSync(join(tmpdir(), "bench-parity-"));
  try {
    const warehouse = new LocalWarehouse({ stateDir, zetasql });
    for (const [table, rows] of [["raw.commerce_events", raw], ["curated.commerce_events", curated]] as const) {
      const r = await warehouse.insertRows(table, rows);
      if (r.failed.length > 0) throw new Error(`${table}: ${r.failed.length} rows rejected, first: ${r.failed[0].reason}`);
    }
    const start = performance.now();
    try {
      const parity = await streamParity((sql, params) => warehouse.query(sql, params), loadReconciliationSql().lostInEnrichment, { runDate: RUN_DATE, lateAllowanceHours: settings.lateAllowanceHours, topK: settings.topK });
      console.log(`parity: raw_rows=${raw.length} wall_ms=${Math.round(performance.now() - start)} found=${parity.lostInEnrichment} injected=${LOST}`);
    } catch (e) {
      console.log(`parity: raw_rows=${raw.length} wall_ms=${Math.round(performance.now() - start)} refused=${JSON.stringify((e as Error).message.slice(0, 160))}`);
      process.exitCode = 2;
    }
  } finally {
    await zetasql.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
