import type { PubSub } from "@google-cloud/pubsub";
import { mkdirSync, readFileSync, existsSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadConfig } from "../../config";
import { REPLAY_SUBSCRIPTION } from "../../contracts/replay";
import type { AlertPublisher, ReconciliationAlert } from "../../functions/reconciliation/alert-publisher";
import { settingsFromConfig } from "../../functions/reconciliation/env";
import { reconcile } from "../../functions/reconciliation/reconcile";
import { loadReconciliationSql } from "../../functions/reconciliation/sql-files";
import { createLogger } from "../../functions/runtime/logger";
import type { Row } from "../../functions/runtime/warehouse";
import { PubSubMessagePublisher } from "../../scripts/replay/message-publisher";
import { loadReplaySql } from "../../scripts/replay/replay-sql";
import { replayWindow, type ReplaySummary } from "../../scripts/replay/replay-window";
import { redriveDeadLetters, type RedriveSummary } from "../../scripts/replay/redrive";
import { BigQuerySubscriptionBridge } from "../bridges/bigquery-subscription-bridge";
import { emulatorPubSub } from "../emulator/emulator-clients";
import { provisionEmulator } from "../emulator/provision-emulator";
import { startPubSubEmulator, type PubSubEmulator } from "../emulator/pubsub-emulator";
import { resourcesOfType, type TerraformJson } from "../../stacks/terraform-json";
import { FAULT_ENV } from "../faults/ack-without-write-warehouse";
import { REJECT_ROWS_ENV } from "../faults/reject-rows-warehouse";
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
  /** Events the curated table refuses before the fix (dead-lettered as rejected_by_warehouse, redriven after it). */
  rejected: number;
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
  /** Event ids the table refused before the fix (each dead-lettered). */
  rejectedEventIds: string[];
  /** Dead letters the first redrive (after the fix) re-published, and what it recorded. */
  redrive: RedriveSummary;
  /** Rows curated.commerce_events_dedup gained from the redrive. */
  curatedAfterRedrive: number;
  /** Rejected events that are now curated, marked source = replay. */
  restoredByRedrive: number;
  /** The same redrive again: every letter is already in ops.redrives. */
  secondRedrive: RedriveSummary;
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
  /** Ledger comparison of the nightly run and of the re-run after redrive and replay. */
  ledger: { before: LedgerCounts; after: LedgerCounts };
  runDate: string;
}

export interface LedgerCounts {
  missingInStream: number;
  explainedByDlq: number;
  /** Matched orders whose curated row a replay or redrive wrote (summary.sql replayed_orders). */
  replayedOrders: number;
}

class CollectingAlerts implements AlertPublisher {
  readonly sent: ReconciliationAlert[] = [];
  async publish(a: ReconciliationAlert): Promise<void> {
    void this.sent.push(a);
  }
}

/**
 * Replay and redrive end to end on the real emulator and ZetaSQL: a day streamed through an
 * enrichment function whose fault switches ack N events without writing them and have the curated
 * table refuse M more (dead-lettered); the nightly reconciliation's canary finds the N; after the
 * "fix" (the function restarted without the faults) a redrive of the dead letters curates the M and
 * a second redrive re-publishes nothing, a replay of the window restores exactly the N and a second
 * replay adds nothing; the re-run reconciliation counts the restored orders as streamed.
 * Everything started is stopped by PID before it returns.
 */
export async function runReplayScenario(o: ReplayScenarioOptions): Promise<ReplayScenarioReport> {
  const log = o.log ?? (() => undefined);
  rmSync(o.stateDir, { recursive: true, force: true });
  const warehouseDir = join(o.stateDir, "warehouse");
  const logDir = join(o.stateDir, "logs");
  mkdirSync(logDir, { recursive: true });
  const droppedFile = join(o.stateDir, "dropped-event-ids.txt");
  const rejectedFile = join(o.stateDir, "rejected-event-ids.txt");

  const tf = o.stack ?? (await synthesizedDevStack(log)).tf;
  const config = loadConfig("dev");
  let emulator: PubSubEmulator | undefined;
  let zetasql: ZetaSqlSession | undefined;
  let pubsub: PubSub | undefined;
  let fn: { proc: FunctionProcess; logs: { close(): Promise<void> } } | undefined;
  const bridges: BigQuerySubscriptionBridge[] = [];
  const handled = { n: 0 };

  const startEnrichment = async (faults: { lost: number; rejected: number }, port?: number) => {
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
        [FAULT_ENV.ackWithoutWrite]: String(faults.lost),
        [FAULT_ENV.recordFile]: droppedFile,
        [REJECT_ROWS_ENV.count]: String(faults.rejected),
        [REJECT_ROWS_ENV.recordFile]: rejectedFile,
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

    fn = await startEnrichment({ lost: o.lost, rejected: o.rejected });
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
    const deadLetterRows = () => bridges.filter((b) => b.table === "ops.dead_letters").reduce((n, b) => n + b.written, 0);

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
    const readIds = (file: string) => (existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : []);
    await drain(() => rawRows() >= published && handled.n >= published && deadLetterRows() >= readIds(rejectedFile).length, 60_000 + 20 * o.events, "the day");
    log(`streamed ${published} messages; the fault switches acked ${o.lost} without writing and had the table refuse ${o.rejected}`);
    await stopEnrichment();
    const lostEventIds = readIds(droppedFile);
    const rejectedEventIds = readIds(rejectedFile);

    // 2. The nightly reconciliation of the day (UTC publish day = the canary's day).
    const runDate = new Date(startMs).toISOString().slice(0, 10);
    const settings = { ...settingsFromConfig(config, "scenario"), topK: Math.max(20, o.lost), shards: 1 };
    const rdeps = { warehouse, alerts: new CollectingAlerts(), logger: createLogger({ level: "silent" }), sql: loadReconciliationSql() };
    const found = await lostInEnrichment(warehouse, rdeps, settings, runDate);
    log(`reconciliation ${runDate}: lost_in_enrichment ${found.count}, missing_in_stream ${found.ledger.missingInStream}, explained_by_dlq ${found.ledger.explainedByDlq}`);

    // 3. The fix is deployed (the function restarts without the faults, same endpoint).
    fn = await startEnrichment({ lost: 0, rejected: 0 }, port);
    const window = { from: new Date(startMs - 60_000).toISOString(), to: new Date(Date.now() + 1000).toISOString() };
    const curatedAsReplay = async () =>
      new Set((await warehouse.query<{ event_id: string } & Row>("SELECT event_id FROM curated.commerce_events_dedup WHERE source = 'replay'")).rows.map((r) => r.event_id));

    // 4. The dead letters of the window are redriven (the code path of npm run redrive), then once more.
    const redrive = async (n: number) => {
      const publisher = new PubSubMessagePublisher({ projectId: config.project, topic: "commerce-events-replay", client: pubsub });
      const before = handled.n;
      const rowsBefore = await dedupRows(warehouse);
      const summary = await redriveDeadLetters(
        { warehouse, sql: loadReplaySql(), publisher },
        { ...window, reason: "rejected_by_warehouse", runId: `scenario-redrive-${n}`, operator: "replay-scenario", rate: o.rate },
      );
      await drain(() => handled.n - before >= summary.published, 60_000 + 20 * summary.published, `redrive ${n}`);
      // The log count can include a straggler of an earlier phase (a late redelivery): also wait for the rows.
      for (const deadline = Date.now() + 60_000; (await dedupRows(warehouse)) - rowsBefore < summary.published && Date.now() < deadline; ) await sleep(200);
      return summary;
    };
    const dedupBeforeRedrive = await dedupRows(warehouse);
    const firstRedrive = await redrive(1);
    const curatedAfterRedrive = (await dedupRows(warehouse)) - dedupBeforeRedrive;
    const redrivenIds = await curatedAsReplay();
    const restoredByRedrive = rejectedEventIds.filter((id) => redrivenIds.has(id)).length;
    log(`redriven ${firstRedrive.published}, curated after redrive ${curatedAfterRedrive}`);
    const secondRedrive = await redrive(2);

    // 5. The window is replayed, then once more.
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
    const replayedIds = await curatedAsReplay();
    const restoredAsReplay = lostEventIds.filter((id) => replayedIds.has(id)).length;
    const secondReplay = await replay(2);
    const dedupAfterSecond = await dedupRows(warehouse);
    // 6. The reconciliation re-run: the canary and the ledger comparison after redrive and replay.
    const after = await lostInEnrichment(warehouse, rdeps, settings, runDate);

    return {
      published,
      lostEventIds,
      found: found.count,
      foundEventIds: found.eventIds,
      rejectedEventIds,
      redrive: firstRedrive,
      curatedAfterRedrive,
      restoredByRedrive,
      secondRedrive,
      firstReplay,
      curatedAfterReplay: dedupAfterFirst - dedupBefore,
      restoredAsReplay,
      secondReplay,
      secondReplayAdded: dedupAfterSecond - dedupAfterFirst,
      foundAfterReplay: after.count,
      ledger: { before: found.ledger, after: after.ledger },
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
    `dead-lettered ${r.rejectedEventIds.length} (refused by the curated table before the fix: rejected_by_warehouse)`,
    `redriven ${r.redrive.published}, curated after redrive ${r.curatedAfterRedrive} (${r.restoredByRedrive} of the dead-lettered events now curated with source = replay; ${r.redrive.recorded} recorded in ops.redrives)`,
    `second redrive ${r.secondRedrive.published} (${r.secondRedrive.letters} letters selected: already in ops.redrives)`,
    `replayed ${r.firstReplay.published} (${r.firstReplay.messages} messages of the window, ${Math.round(r.firstReplay.published / Math.max(0.001, r.firstReplay.wallMs / 1000))} msg/s)`,
    `curated after replay ${r.curatedAfterReplay} (${r.restoredAsReplay} of the lost events now curated with source = replay)`,
    `second replay +${r.secondReplayAdded} (${r.secondReplay.published} messages re-published)`,
    `lost_in_enrichment after replay ${r.foundAfterReplay}`,
    `missing_in_stream ${r.ledger.before.missingInStream} -> ${r.ledger.after.missingInStream}, explained_by_dlq ${r.ledger.before.explainedByDlq} -> ${r.ledger.after.explainedByDlq}, replayed_orders ${r.ledger.after.replayedOrders} (ledger comparison, nightly run -> re-run)`,
  ];
}

/**
 * The scenario's promise: the canary finds exactly the lost events; one redrive curates exactly the
 * dead-lettered ones, a second re-publishes nothing; one replay restores the lost ones, a second adds
 * nothing; the re-run finds nothing lost and no order missing.
 */
export function replayScenarioHolds(r: ReplayScenarioReport): boolean {
  const lost = [...r.lostEventIds].sort();
  return (
    lost.length > 0 &&
    JSON.stringify(lost) === JSON.stringify(r.foundEventIds) &&
    r.found === lost.length &&
    r.curatedAfterReplay === lost.length &&
    r.restoredAsReplay === lost.length &&
    r.secondReplayAdded === 0 &&
    r.foundAfterReplay === 0 &&
    r.rejectedEventIds.length > 0 &&
    r.redrive.published === r.rejectedEventIds.length &&
    r.curatedAfterRedrive === r.rejectedEventIds.length &&
    r.restoredByRedrive === r.rejectedEventIds.length &&
    r.secondRedrive.published === 0 &&
    r.ledger.after.missingInStream === 0 &&
    r.ledger.after.explainedByDlq === 0
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
): Promise<{ count: number; eventIds: string[]; ledger: LedgerCounts }> {
  const outcome = await reconcile(deps, settings, runDate);
  if (outcome.outcome !== "completed") throw new Error(`reconciliation of ${runDate}: ${outcome.outcome}`);
  const rows = (
    await warehouse.query<{ stream_value: string } & Row>("SELECT stream_value FROM ops.reconciliation_discrepancies WHERE run_date = @d AND run_id = @r AND kind = 'lost_in_enrichment'", {
      d: { type: "DATE", value: runDate },
      r: { type: "STRING", value: outcome.run.run_id },
    })
  ).rows;
  const ledger = {
    missingInStream: Number(outcome.run.missing_in_stream ?? 0),
    explainedByDlq: Number(outcome.run.explained_by_dlq ?? 0),
    replayedOrders: Number(outcome.summary.find((r) => r.dimension === "all")?.replayed_orders ?? 0),
  };
  return { count: Number(outcome.run.lost_in_enrichment ?? 0), eventIds: rows.map((r) => r.stream_value).sort(), ledger };
}
