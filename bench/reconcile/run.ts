// npm run bench:reconcile — one day of 100k ledger orders against ~100k streamed events with ~1%
// planted drift, reconciled on the local warehouse (ZetaSQL over rows on disk). Last line:
// reconcile: rows=<n> wall_ms=<n> found=<n> injected=<n>
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../config";
import { settingsFromConfig } from "../../functions/reconciliation/env";
import { reconcile } from "../../functions/reconciliation/reconcile";
import { loadReconciliationSql } from "../../functions/reconciliation/sql-files";
import { createLogger } from "../../functions/runtime/logger";
import { LocalWarehouse } from "../../local/local-warehouse";
import { startZetaSql } from "../../local/zetasql";
import { generateDay } from "./generate-day";
import { DISCREPANCY_KINDS } from "../../contracts/tables";
import { driftRatio } from "../../functions/reconciliation/drift";
import type { Row } from "../../functions/runtime/warehouse";

const ORDERS = Number(process.env.BENCH_ORDERS ?? 100_000);
const RUN_DATE = "2024-05-02";
/** Orders per local evaluation: keeps each ZetaSQL request under its 4 MiB limit. */
const ORDERS_PER_SHARD = Number(process.env.BENCH_ORDERS_PER_SHARD ?? 4_000);

async function main(): Promise<void> {
  const settings = { ...settingsFromConfig(loadConfig("dev"), "bench"), repair: false };
  // ~1% of the orders, spread over every kind the stream side can show.
  const per = Math.round(ORDERS / 100 / 5);
  const inject = { missing_in_stream: per, extra_in_stream: per, duplicate_in_stream: per, amount_mismatch: per, late_arrival: per };

  const t0 = Date.now();
  const day = generateDay({ runDate: RUN_DATE, orders: ORDERS, inject, lateAllowanceHours: settings.lateAllowanceHours, seed: 20240502 });
  console.log(`generated ${day.ledger.length} ledger + ${day.curated.length} curated rows in ${Date.now() - t0} ms`);

  // ZetaSQL's remote_server accepts at most 4 MiB per request and the local warehouse sends each
  // statement its tables whole, so a 100k-order day cannot be evaluated in one request. Every
  // discrepancy kind is decided per order_id and the summary is a sum, so the day is reconciled as
  // order_id shards, each a complete run over its orders on its own local warehouse; counts add up.
  const shards = Math.max(1, Math.ceil(ORDERS / ORDERS_PER_SHARD));
  const byShard = (rows: Row[]) => {
    const out: Row[][] = Array.from({ length: shards }, () => []);
    for (const r of rows) out[fnv1a(String(r.order_id)) % shards].push(r);
    return out;
  };
  const curatedShards = byShard(day.curated);
  const ledgerShards = byShard(day.ledger);

  const zetasql = await startZetaSql();
  const stateRoot = mkdtempSync(join(tmpdir(), "bench-reconcile-"));
  const totals: Record<string, number> = {};
  let streamOrders = 0;
  let ledgerOrders = 0;
  let wallMs = 0;
  try {
    const alerts = { publish: async () => {} }; // drift alerts of a shard are not the day's alerts
    for (let i = 0; i < shards; i++) {
      const warehouse = new LocalWarehouse({ stateDir: join(stateRoot, `shard-${i}`), zetasql });
      for (const [table, rows] of [["curated.commerce_events", curatedShards[i]], ["ledger.orders", ledgerShards[i]]] as const) {
        const r = await warehouse.insertRows(table, rows);
        if (r.failed.length > 0) throw new Error(`${table}: ${r.failed.length} rows rejected, first: ${r.failed[0].reason}`);
      }
      const start = Date.now();
      const outcome = await reconcile({ warehouse, alerts, logger: createLogger({ level: "silent" }), sql: loadReconciliationSql() }, settings, RUN_DATE);
      wallMs += Date.now() - start;
      if (outcome.outcome !== "completed") throw new Error(`shard ${i}: reconciliation did not complete: ${outcome.outcome}`);
      for (const kind of DISCREPANCY_KINDS) totals[kind] = (totals[kind] ?? 0) + Number(outcome.run[kind] ?? 0);
      streamOrders += Number(outcome.run.stream_orders);
      ledgerOrders += Number(outcome.run.ledger_orders);
    }
  } finally {
    await zetasql.close();
    rmSync(stateRoot, { recursive: true, force: true });
  }

  let found = 0;
  let injected = 0;
  for (const kind of DISCREPANCY_KINDS) {
    const planted = (inject as Partial<Record<string, number>>)[kind] ?? 0;
    found += totals[kind];
    injected += planted;
    console.log(`  ${kind.padEnd(20)} injected=${planted} found=${totals[kind]}`);
  }
  console.log(`shards=${shards} (<= ${ORDERS_PER_SHARD} orders each) stream_orders=${streamOrders} ledger_orders=${ledgerOrders} count_drift=${driftRatio(streamOrders, ledgerOrders)}`);
  console.log(`reconcile: rows=${day.ledger.length + day.curated.length} wall_ms=${wallMs} found=${found} injected=${injected}`);
  if (found !== injected) process.exitCode = 1;
}

/** FNV-1a 32-bit: a stable shard key for an order id. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
