import type { PubSub } from "@google-cloud/pubsub";
import { mkdirSync, readFileSync, existsSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadConfig } from "../../config";
import { REPLAY_SUBSCRIPTION } from "../../contracts/replay";
import type { AlertPublisher, ReconciliationAlert } from "../../functions/reconciliation/alert-publisher";
import { settingsFromConfig } from "../../functions/reconciliation/env";
import { streamParity } from "../../functions/reconciliation/parity-canaries";
import { reconcile } from "../../functions/reconciliation/reconcile";
import { loadReconciliationSql } from "../../functions/reconciliation/sql-files";
import { createLogger } from "../../functions/runtime/logger";
import type { Row } from "../../functions/runtime/warehouse";
import { PubSubMessagePublisher } from "../../scripts/replay/message-publisher";
import { loadReplaySql } from "../../scripts/replay/replay-sql";
import { replayWindow, type ReplaySummary } from "../../scripts/replay/replay-window";
import { BigQuerySubscriptionBridge } from "../bridges/bigquery-subscription-bridge";
import { emulatorPubSub } from "../emulator/emulator-clients";
import { provisionEmulator } from "../emulator/provision-emulator";
import { startPubSubEmulator, type PubSubEmulator } from "../emulator/pubsub-emulator";
import { resourcesOfType, type TerraformJson } from "../../stacks/terraform-json";
import { FAULT_ENV } from "../faults/ack-without-write-warehouse";
import { generateCommerceDay, referenceDataFor } from "../generator/commerce-day";
import { loadMarkersFor } from "../generator/load-markers";
import { synthesizedDevStack } from "../pipeline/dev-stack";
import { followFunctionLogs } from "../processes/function-logs";
import { startFunctionProcess, type FunctionProcess } from "../processes/function-process";
import { LocalWarehouse } from "../warehouse/local-warehouse";
import { ZETASQL_ADDRESS_ENV, startZetaSql, type ZetaSqlSession } from "../zetasql";
import { LOCAL_STATE_DIR_ENV } from "../functions/local-state";
import { LOCAL_FUNCTION_ENTRIES } from "../processes/functions-host";
import { LOG_EVENTS } from "../../contracts/log-events";

const ROOT = resolve(__dirname, "..", "..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ReplayScenarioOptions {
  /** Messages of the streamed day. */
  events: number;
  /** Events the faulty function acks without writing. */
  lost: number;
  seed: number;
  /** Publish rate of the day and of each replay, messages per second. */
  rate: number;
  /** Folder for the warehouse and the function logs (emptied first). */
  stateDir: string;
  /** The synthesized dev stack. Default: cdktf.out's, synthesized first when stale. */
  stack?: TerraformJson;
  log?: (line: string) => void;
}

export interface ReplayScenarioReport {
  published: number;
  /** Event ids the fault switch dropped after acking. */
  lostEventIds: string[];
  /** lost_in_enrichment in the reconciliation's run row. */
  found: number;
  /** Event ids the canary reported (discrepancy rows). */
  foundEventIds: string[];
  firstReplay: ReplaySummary;
  /** Rows curated.commerce_events_dedup gained from the first replay. */
  curatedAfterReplay: number;
  /** Lost events that are now curated, marked source = replay. */
  restoredAsReplay: number;
  secondReplay: ReplaySummary;
  /** Rows curated.commerce_events_dedup gained from the second replay. */
  secondReplayAdded: number;
  /** lost_in_enrichment of the reconciliation re-run after the replay. */
  foundAfterReplay: number;
  runDate: string;
}

class CollectingAlerts implements AlertPublisher {
  readonly sent: ReconciliationAlert[] = [];
  async publish(a: ReconciliationAlert): Promise<void> {
    void this.sent.push(a);
  }
}

/**
 * Replay end to end on the real emulator and ZetaSQL: a day streamed through an enrichment function
 * whose fault switch acks N events without writing them; the nightly reconciliation's canary finds
 * them; after the "fix" (the function restarted without the fault) a replay of the window restores
 * exactly them; a second replay adds nothing. Everything started is stopped by PID before it returns.
 */
export async function runReplayScenario(o: ReplayScenarioOptions): Promise<ReplayScenarioReport> {
  const log = o.log ?? (() => undefined);
  rmSync(o.stateDir, { recursive: true, force: true });
  const warehouseDir = join(o.stateDir, "warehouse");
  const logDir = join(o.stateDir, "logs");
  mkdirSync(logDir, { recursive: true });
  const droppedFile = join(o.stateDir, "dropped-event-ids.txt");

  const tf = o.stack ?? (await synthesizedDevStack(log)).tf;
  const config = loadConfig("dev");
  let emulator: PubSubEmulator | undefined;
  let zetasql: ZetaSqlSession | undefined;
  let pubsub: PubSub | undefined;
  let fn: { proc: FunctionProcess; logs: { close(): Promise<void> } } | undefined;
  const bridges: BigQuerySubscriptionBridge[] = [];
  const handled = { n: 0 };

  const startEnrichment = async (fault: number, port?: number) => {
    const proc = await startFunctionProcess({
      module: join(ROOT, LOCAL_FUNCTION_ENTRIES.enrichment),
      target: "enrichment",
      port,
      env: {
        ...stackEnv(tf, "enrichment"),
        PUBSUB_EMULATOR_HOST: emulator!.host,
        [LOCAL_STATE_DIR_ENV]: warehouseDir,
        [ZETASQL_ADDRESS_ENV]: zetasql!.address,
        LOG_LEVEL: "info",
        [FAULT_ENV.ackWithoutWrite]: String(fault),
        [FAULT_ENV.recordFile]: droppedFile,
      },
      readyTimeoutMs: 60_000,
    });
    const logs = followFunctionLogs(proc.process, join(logDir, "enrichment.log"), (e) => {
      if (e.event === LOG_EVENTS.curatedFlush) handled.n += Number(e.rows ?? 0) - Number(e.failed_rows ?? 0);
      if (e.event === "duplicate_dropped" || e.event === "dead_lettered") handled.n++;
    });
    return { proc, logs };
  };
  const stopEnrichment = async () => {
    await fn?.proc.stop();
    await fn?.logs.close();
    fn = undefined;
  };

  try {
    [emulator, zetasql] = await Promise.all([startPubSubEmulator({ projectId: config.project }), startZetaSql()]);
    pubsub = emulatorPubSub(emulator);
    const warehouse = new LocalWarehouse({ stateDir: warehouseDir, zetasql });
    const startMs = Date.now() + 500;
    const reference = referenceDataFor(o.seed, startMs);
    await load(warehouse, "ref.products", reference.products.map(({ price_eur: _p, ...row }) => row));
    await load(warehouse, "ref.stores", reference.stores);
    await load(warehouse, "ref.fx_rates", reference.fxRates);
    const day = generateCommerceDay({ seed: o.seed, events: o.events, ratePerSecond: o.rate, startMs, lateShare: 0 });
    await load(warehouse, "ledger.orders", day.ledger);
    // The exporting job's last step: the completeness marker the reconciliation waits for.
    await load(warehouse, "ledger.load_markers", loadMarkersFor(day.ledger, new Date().toISOString(), `replay-scenario-${o.seed}`));

    fn = await startEnrichment(o.lost);
    const port = fn.proc.port;
    const provisioned = await provisionEmulator(tf, {
      projectId: config.project,
      emulatorHost: emulator.host,
      pushEndpoints: { enrichment: fn.proc.url, [REPLAY_SUBSCRIPTION]: fn.proc.url },
    });
    for (const b of provisioned.bridged) {
      const bridge = new BigQuerySubscriptionBridge({ pubsub, projectId: config.project, subscription: b.subscription, table: b.table, warehouse, onError: (e) => log(`bridge ${b.subscription}: ${(e as Error).message}`) });
      bridge.start();
      bridges.push(bridge);
    }
    const rawRows = () => bridges.filter((b) => b.table === "raw.commerce_events").reduce((n, b) => n + b.written, 0);

    // 1. The day, through the faulty function.
    const topic = pubsub.topic("commerce-events", { batching: { maxMessages: 200, maxMilliseconds: 5 } });
    let published = 0;
    await Promise.all(
      day.messages.map(async (m) => {
        const wait = startMs + m.atMs - Date.now();
        if (wait > 1) await sleep(wait);
        await topic.publishMessage({ data: Buffer.from(m.data), attributes: m.attributes });
        published++;
      }),
    );
    await drain(() => rawRows() >= published && handled.n >= published, 60_000 + 20 * o.events, "the day");
    log(`streamed ${published} messages; the fault switch acked ${o.lost} without writing`);
    await stopEnrichment();
    const lostEventIds = existsSync(droppedFile) ? readFileSync(droppedFile, "utf8").split("\n").filter(Boolean) : [];

    // 2. The nightly reconciliation of the day (UTC publish day = the canary's day).
    const runDate = new Date(startMs).toISOString().slice(0, 10);
    const settings = { ...settingsFromConfig(config, "scenario"), topK: Math.max(20, o.lost), shards: 1 };
    const rdeps = { warehouse, alerts: new CollectingAlerts(), logger: createLogger({ level: "silent" }), sql: loadReconciliationSql() };
    const found = await lostInEnrichment(warehouse, rdeps, settings, runDate);
    log(`reconciliation ${runDate}: lost_in_enrichment ${found.count}`);

    // 3. The fix is deployed (the function restarts without the fault, same endpoint), then the window is replayed.
    fn = await startEnrichment(0, port);
    const window = { from: new Date(startMs - 60_000).toISOString(), to: new Date(Date.now() + 1000).toISOString() };
    const dedupBefore = await dedupRows(warehouse);
    const replay = async (n: number) => {
      const publisher = new PubSubMessagePublisher({ projectId: config.project, topic: "commerce-events-replay", client: pubsub });
      const before = handled.n;
      const summary = await replayWindow({ warehouse, sql: loadReplaySql(), publisher }, { ...window, runId: `scenario-replay-${n}`, rate: o.rate });
      await drain(() => handled.n - before >= summary.published, 60_000 + 20 * summary.published, `replay ${n}`);
      return summary;
    };
    const firstReplay = await replay(1);
    const dedupAfterFirst = await dedupRows(warehouse);
    const replayedIds = new Set(
      (await warehouse.query<{ event_id: string } & Row>("SELECT event_id FROM curated.commerce_events_dedup WHERE source = 'replay'")).rows.map((r) => r.event_id),
    );
    const restoredAsReplay = lostEventIds.filter((id) => replayedIds.has(id)).length;
    const secondReplay = await replay(2);
    const dedupAfterSecond = await dedupRows(warehouse);
    // The canary again, alone (the full nightly run above already showed it is recorded there).
    const after = await streamParity((sql, params) => warehouse.query(sql, params), rdeps.sql.lostInEnrichment, { runDate, lateAllowanceHours: settings.lateAllowanceHours, topK: settings.topK });

    return {
      published,
      lostEventIds,
      found: found.count,
      foundEventIds: found.eventIds,
      firstReplay,
      curatedAfterReplay: dedupAfterFirst - dedupBefore,
      restoredAsReplay,
      secondReplay,
      secondReplayAdded: dedupAfterSecond - dedupAfterFirst,
      foundAfterReplay: after.lostInEnrichment,
      runDate,
    };
  } finally {
    await Promise.allSettled(bridges.map((b) => b.stop()));
    await pubsub?.close().catch(() => undefined);
    await stopEnrichment();
    await Promise.allSettled([zetasql?.close(), emulator?.stop()]);
  }
}

/** Lines `npm start -- --scenario replay` prints. */
export function describeReplayScenario(r: ReplayScenarioReport): string[] {
  return [
    `lost ${r.lostEventIds.length} (acked without writing by the fault switch, of ${r.published} published)`,
    `found ${r.found} (lost_in_enrichment in the ${r.runDate} reconciliation run)`,
    `replayed ${r.firstReplay.published} (${r.firstReplay.messages} messages of the window, ${Math.round(r.firstReplay.published / Math.max(0.001, r.firstReplay.wallMs / 1000))} msg/s)`,
    `curated after replay ${r.curatedAfterReplay} (${r.restoredAsReplay} of the lost events now curated with source = replay)`,
    `second replay +${r.secondReplayAdded} (${r.secondReplay.published} messages re-published)`,
    `lost_in_enrichment after replay ${r.foundAfterReplay}`,
  ];
}

/** The scenario's promise: the canary finds exactly the lost events, one replay restores them, a second adds nothing. */
export function replayScenarioHolds(r: ReplayScenarioReport): boolean {
  const lost = [...r.lostEventIds].sort();
  return (
    lost.length > 0 &&
    JSON.stringify(lost) === JSON.stringify(r.foundEventIds) &&
    r.found === lost.length &&
    r.curatedAfterReplay === lost.length &&
    r.restoredAsReplay === lost.length &&
    r.secondReplayAdded === 0 &&
    r.foundAfterReplay === 0
  );
}

function stackEnv(tf: TerraformJson, name: string): Record<string, string> {
  const f = resourcesOfType(tf, "google_cloudfunctions2_function").find(([, b]) => b.name === name)?.[1];
  if (!f) throw new Error(`the dev stack deploys no function ${name}`);
  return (f.service_config as { environment_variables?: Record<string, string> } | undefined)?.environment_variables ?? {};
}

async function load(warehouse: LocalWarehouse, table: "ref.products" | "ref.stores" | "ref.fx_rates" | "ledger.orders" | "ledger.load_markers", rows: Row[]): Promise<void> {
  const r = await warehouse.insertRows(table, rows);
  if (r.failed.length > 0) throw new Error(`loading ${table}: ${r.failed[0].reason}`);
}

async function drain(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what} did not drain within ${timeoutMs} ms`);
    await sleep(200);
  }
  // Let bridge batches and in-flight redeliveries settle.
  await sleep(1000);
}

async function dedupRows(warehouse: LocalWarehouse): Promise<number> {
  return Number((await warehouse.query<{ n: number } & Row>("SELECT COUNT(*) AS n FROM curated.commerce_events_dedup")).rows[0]?.n ?? 0);
}

async function lostInEnrichment(
  warehouse: LocalWarehouse,
  deps: Parameters<typeof reconcile>[0],
  settings: Parameters<typeof reconcile>[1],
  runDate: string,
): Promise<{ count: number; eventIds: string[] }> {
  const outcome = await reconcile(deps, settings, runDate);
  if (outcome.outcome !== "completed") throw new Error(`reconciliation of ${runDate}: ${outcome.outcome}`);
  const rows = (
    await warehouse.query<{ stream_value: string } & Row>("SELECT stream_value FROM ops.reconciliation_discrepancies WHERE run_date = @d AND run_id = @r AND kind = 'lost_in_enrichment'", {
      d: { type: "DATE", value: runDate },
      r: { type: "STRING", value: outcome.run.run_id },
    })
  ).rows;
  return { count: Number(outcome.run.lost_in_enrichment ?? 0), eventIds: rows.map((r) => r.stream_value).sort() };
}
