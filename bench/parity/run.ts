// npm run bench:parity [-- --orders 100000 --lost 100 --shards N]: the nightly reconciliation of the
// bench day of bench/reconcile (ledger orders, their curated events) on the local warehouse, with the
// raw mirror holding every event published that day as its message and --lost of them dropped from
// curated (acked without writing). Runs the real reconcile() once, ledger comparison and stream parity
// canary (sql/parity/lost_in_enrichment.sql) in the same shards, and prints the canary's wall time
// and the run's with and without it. Exits 2 when the canary does not find exactly the dropped events.
// Last line: parity: raw_rows=<n> wall_ms=<canary ms> found=<n> injected=<n> reconcile_ms=<n> without_canaries_ms=<n> shards=<n>
//   (or parity: raw_rows=<n> wall_ms=<n> refused=<why>)
import { Command, InvalidArgumentError } from "commander";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../config";
import { settingsFromConfig } from "../../functions/reconciliation/env";
import { reconcile } from "../../functions/reconciliation/reconcile";
import { loadReconciliationSql } from "../../functions/reconciliation/sql-files";
import { createLogger } from "../../functions/runtime/logger";
import type { Row } from "../../functions/runtime/warehouse";
import { loadMarkersFor } from "../../local/generator/load-markers";
import { LocalWarehouse } from "../../local/warehouse/local-warehouse";
import { startZetaSql } from "../../local/zetasql";
import { generateDay } from "../reconcile/generate-day";

const RUN_DATE = "2024-05-02";
/**
 * Orders per shard: bench/reconcile measured 10 shards as the smallest that fits ZetaSQL's 4 MiB
 * requests with >= 15% to spare at 100k orders; the canary's shards (raw mirror and curated ids of
 * one event_id hash shard) are smaller.
 */
const ORDERS_PER_SHARD = 10_000;

const count = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be an integer >= 0, got ${JSON.stringify(v)}`);
  return n;
};

/** The message the raw mirror holds for a curated event: its Avro JSON payload, published at ingest. */
function rawRow(c: Row, i: number): Row {
  const payload = JSON.stringify({ event_id: c.event_id, event_type: c.event_type, store_id: c.store_id, channel: c.channel, order_id: c.order_id === null ? null : { string: c.order_id } });
  return { subscription_name: "projects/bench/subscriptions/raw-mirror", message_id: `m${i}`, publish_time: c.ingest_time, data: Buffer.from(payload).toString("base64"), attributes: "{}" };
}

async function main(): Promise<void> {
  const o = new Command("bench:parity")
    .option("--orders <n>", "ledger orders of the bench day", count("--orders"), Number(process.env.BENCH_ORDERS ?? 100_000))
    .option("--lost <n>", "published events dropped from curated (acked without writing)", count("--lost"), Number(process.env.BENCH_LOST ?? 100))
    .option("--shards <n>", `hash shards of the run (default: one per ${ORDERS_PER_SHARD} orders)`, count("--shards"))
    .parse()
    .opts<{ orders: number; lost: number; shards?: number }>();
  const shards = o.shards || Math.max(1, Math.ceil(o.orders / ORDERS_PER_SHARD));
  const settings = { ...settingsFromConfig(loadConfig("dev"), "bench"), repair: false, shards, topK: Math.max(20, o.lost) };
  const day = generateDay({ runDate: RUN_DATE, orders: o.orders, inject: {}, lateAllowanceHours: settings.lateAllowanceHours, seed: 20240502 });
  // The canary reads the raw mirror by UTC publish day: the events published on RUN_DATE, the first --lost never curated.
  const published = day.curated.filter((c) => String(c.ingest_time).startsWith(RUN_DATE));
  if (published.length < o.lost) throw new Error(`--lost ${o.lost} exceeds the ${published.length} events published on ${RUN_DATE}`);
  const raw = published.map(rawRow);
  const dropped = new Set(published.slice(0, o.lost));
  const curated = day.curated.filter((c) => !dropped.has(c));
  const zetasql = await startZetaSql();
  const stateDir = mkdtempSync(join(tmpdir(), "bench-parity-"));
  try {
    const warehouse = new LocalWarehouse({ stateDir, zetasql });
    const markers = loadMarkersFor(day.ledger as { order_date: string }[], new Date().toISOString(), "bench");
    for (const [table, rows] of [["raw.commerce_events", raw], ["curated.commerce_events", curated], ["ledger.orders", day.ledger], ["ledger.load_markers", markers]] as const) {
      const r = await warehouse.insertRows(table, rows);
      if (r.failed.length > 0) throw new Error(`${table}: ${r.failed.length} rows rejected, first: ${r.failed[0].reason}`);
    }
    const errors: string[] = [];
    const logger = createLogger({ level: "error", destination: { write: (line: string) => void errors.push(line) } });
    const alerts = { publish: async () => {} }; // the dropped events breach lostInEnrichmentMax: the alert is expected, not the point
    const start = performance.now();
    const outcome = await reconcile({ warehouse, alerts, logger, sql: loadReconciliationSql() }, settings, RUN_DATE);
    const reconcileMs = Math.round(performance.now() - start);
    if (outcome.outcome !== "completed") throw new Error(`reconciliation did not complete: ${outcome.outcome}`);
    const found = outcome.run.lost_in_enrichment;
    outcome.shardWallMs.forEach((ms, i) => console.log(`comparison shard ${i + 1}/${shards}: wall_ms=${ms}`));
    console.log(`reconcile ${RUN_DATE}: orders=${o.orders} curated_rows=${curated.length} status=${outcome.run.status} wall_ms=${reconcileMs} canaries_ms=${outcome.canaryWallMs}`);
    // The recompute canary runs in the same canary time; null = it could not run (see the error log).
    const canaryError = (canary: string) =>
      errors.map((l) => JSON.parse(l) as { canary?: string; err?: { message?: string } }).find((e) => e.canary === canary)?.err?.message?.slice(0, 200);
    console.log(
      `recompute parity: sampled=${outcome.run.parity_sampled} parity_mismatch=${outcome.run.parity_mismatch}` +
        (outcome.run.parity_sampled === null ? ` (not measured: ${canaryError("parity_mismatch") ?? "see the error log"})` : ""),
    );
    if (found === null) {
      // The run records a canary that could not run as not measured; say why.
      const why = errors.map((l) => (JSON.parse(l) as { err?: { message?: string } }).err?.message).find(Boolean) ?? "see the error log";
      console.log(`parity: raw_rows=${raw.length} wall_ms=${outcome.canaryWallMs} refused=${JSON.stringify(why.slice(0, 160))}`);
      process.exitCode = 2;
      return;
    }
    console.log(
      `parity: raw_rows=${raw.length} wall_ms=${outcome.canaryWallMs} found=${found} injected=${o.lost} ` +
        `reconcile_ms=${reconcileMs} without_canaries_ms=${reconcileMs - outcome.canaryWallMs} shards=${shards}`,
    );
    if (found !== o.lost) process.exitCode = 2;
  } finally {
    await zetasql.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
