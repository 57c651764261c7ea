import type { PubSub } from "@google-cloud/pubsub";
import { SingleBar } from "cli-progress";
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { CuratedRow, DeadLetterRow, ReconciliationDiscrepancyRow, ReconciliationRunRow } from "../../contracts";
import { loadConfig } from "../../config";
import type { BigQuerySubscriptionBridge } from "../bridges/bigquery-subscription-bridge";
import { synthesizedDevStack } from "./dev-stack";
import { emulatorPubSub } from "../emulator/emulator-clients";
import { unexercisedBehaviours } from "../emulator/emulator-gaps";
import { FunctionsHost } from "../processes/functions-host";
import { generateCommerceDay, referenceDataFor, type CommerceDay } from "../generator/commerce-day";
import { loadMarkersFor } from "../generator/load-markers";
import { LocalWarehouse } from "../warehouse/local-warehouse";
import { provisionEmulator } from "../emulator/provision-emulator";
import { startPubSubEmulator, type PubSubEmulator } from "../emulator/pubsub-emulator";
import { measure, type PipelineReport } from "./report";
import { warehouseDirOf } from "./state-dir";
import { block, referencedName, resourcesOfType } from "../../stacks/terraform-json";
import { pushEndpointsToHostedFunctions, startBridges } from "./emulator-wiring";
import { loadReferenceTables, loadTable } from "./load-tables";
import { ZETASQL_ADDRESS_ENV, startZetaSql, type ZetaSqlSession } from "../zetasql";
import { LOCAL_STATE_DIR_ENV } from "../functions/local-state";
import { LOG_EVENTS } from "../../contracts/log-events";
import { PREVIOUS_DAY, type ReconcileRequest } from "../../contracts/reconcile-request";
import { DEAD_LETTERS_VIEW } from "../../contracts/dead-letters";
import { FUNCTION_ENV_VARS } from "../../contracts/function-env";

export interface LocalPipelineOptions {
  /** Messages to publish (duplicates and poison included). */
  events: number;
  /** Publish rate, messages per second. */
  rate: number;
  /** Seed of the generated day: the same seed gives the same data. */
  seed: number;
  /** Folder for the warehouse tables, function logs and report.json / report.md. */
  stateDir: string;
  /** Leave the emulator and functions running after the report, until Ctrl-C. */
  keepRunning: boolean;
  /** How long to wait for the subscriptions to drain, in ms. Default: 60 s + 20 ms per event. */
  drainTimeoutMs?: number;
  /** Show the progress bar (only on a terminal). Default: process.stdout.isTTY. */
  progress?: boolean;
  log?: (line: string) => void;
}

/** Running parts the caller may explore with --keep-running. */
export interface RunningPipeline {
  env: Record<string, string>;
  stop(): Promise<void>;
}

const POLL_MS = 250;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The whole pipeline on this machine: synth, emulator + ZetaSQL, provisioning from the dev stack,
 * reference data and ledger, both functions, a streamed day, drain, the nightly reconciliation,
 * and the report. Everything it starts is stopped by PID before it returns (or, with keepRunning,
 * by the returned stop()).
 */
export async function runLocalPipeline(opts: LocalPipelineOptions): Promise<{ report: PipelineReport; running?: RunningPipeline }> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const timings: Record<string, number> = {};
  const startedAt = Date.now();
  let phaseStart = startedAt;
  const phase = (name: string) => {
    timings[name] = Date.now() - phaseStart;
    phaseStart = Date.now();
  };
  const warehouseDir = warehouseDirOf(opts.stateDir);
  const logDir = join(opts.stateDir, "logs");
  // Each run starts from an empty warehouse so the report counts this run only.
  rmSync(warehouseDir, { recursive: true, force: true });
  rmSync(logDir, { recursive: true, force: true });

  const { tf, synthesized } = await synthesizedDevStack(log);
  log(`dev stack: ${synthesized ? "synthesized" : "cdktf.out is fresh, reused"}`);
  phase("synth");

  const config = loadConfig("dev");
  const projectId = config.project;
  let emulator: PubSubEmulator | undefined;
  let zetasql: ZetaSqlSession | undefined;
  let pubsub: PubSub | undefined;
  let host: FunctionsHost | undefined;
  const bridges: BigQuerySubscriptionBridge[] = [];
  const stopAllParts = async () => {
    await Promise.allSettled(bridges.map((b) => b.stop()));
    await pubsub?.close().catch(() => undefined);
    await host?.stop();
    await Promise.allSettled([zetasql?.close(), emulator?.stop()]);
  };

  try {
    [emulator, zetasql] = await Promise.all([startPubSubEmulator({ projectId }), startZetaSql()]);
    log(`pubsub emulator on ${emulator.host} (pid ${emulator.process.pid}), zetasql on ${zetasql.address}`);
    phase("start_services");

    // Reference data first: the enrichment function loads it at cold start.
    const reference = referenceDataFor(opts.seed, Date.now());
    const warehouse = new LocalWarehouse({ stateDir: warehouseDir, zetasql });
    await loadReferenceTables(warehouse, reference);
    log(`loaded ref.products ${reference.products.length}, ref.stores ${reference.stores.length}, ref.fx_rates ${reference.fxRates.length}`);
    phase("load_reference");

    const counters = { curated: 0, duplicates: 0, conflicting: 0, functionErrors: [] as string[] };
    const localEnv = {
      PUBSUB_EMULATOR_HOST: emulator.host,
      [LOCAL_STATE_DIR_ENV]: warehouseDir,
      [ZETASQL_ADDRESS_ENV]: zetasql.address,
      [FUNCTION_ENV_VARS.logLevel]: "info",
    };
    host = new FunctionsHost({
      stack: tf,
      localEnv,
      logDir,
      onLog: (fn, e) => {
        if (fn !== "enrichment") return;
        if (e.event === LOG_EVENTS.curatedFlush) counters.curated += Number(e.rows ?? 0) - Number(e.failed_rows ?? 0);
        if (e.event === "duplicate_dropped") counters.duplicates++;
        if (e.event === "conflicting_copy") counters.conflicting++;
      },
      // Supervised like Cloud Run: also under --keep-running, each restart is logged as it happens.
      onRestart: (r) => log(`function ${r.name} ${r.reason === "exited" ? `exited (${r.exit})` : "stopped answering"}: restarted as pid ${r.pid} after ${r.delayMs} ms (restart ${r.restarts})`),
      onRestartFailed: (name, err) => log(`function ${name} failed to restart, retrying: ${err.message.split("\n")[0]}`),
    });
    const hosted = await host.start();
    for (const f of hosted) log(`function ${f.name} on ${f.url} (pid ${f.pid}), env from the stack: ${Object.keys(f.stackEnv).join(", ")}`);
    phase("start_functions");

    const provisioned = await provisionEmulator(tf, {
      projectId,
      emulatorHost: emulator.host,
      pushEndpoints: pushEndpointsToHostedFunctions(tf, host),
      log: (l) => log(`  provision: ${l}`),
    });
    pubsub = emulatorPubSub({ host: emulator.host, projectId });
    startBridges(provisioned.bridged, { pubsub, projectId, warehouse, log }, bridges);
    for (const b of bridges) log(`bridged: BigQuery subscription ${b.name} -> ${b.table} (a local pull subscriber writes the rows)`);
    phase("provision");

    // The day is anchored on the moment streaming starts, so event times trail publish times as at a real source.
    const day = generateCommerceDay({ seed: opts.seed, events: opts.events, ratePerSecond: opts.rate, startMs: Date.now() + 500 });
    await loadTable(warehouse, "ledger.orders", day.ledger);
    // As the exporting job does, its last step: the completeness marker the reconciliation waits for.
    const markers = loadMarkersFor(day.ledger, new Date().toISOString(), `local-seed-${opts.seed}`);
    await loadTable(warehouse, "ledger.load_markers", markers);
    log(`loaded ledger.orders ${day.ledger.length} (the export of run date ${day.runDate} and its neighbours) and ${markers.length} ledger.load_markers`);
    phase("load_ledger");

    const stream = await publishDay(pubsub, day, opts, () => ({ curated: counters.curated, dead: bridgeRows(bridges, "ops.dead_letters") }));
    log(`published ${stream.published} messages in ${(stream.ms / 1000).toFixed(1)} s (${Math.round(stream.published / (stream.ms / 1000))} msg/s)${stream.rejected ? `, ${stream.rejected} rejected at publish` : ""}`);
    phase("stream");

    const drainTimeoutMs = opts.drainTimeoutMs ?? 60_000 + 20 * opts.events;
    const drained = await waitUntil(
      () =>
        bridgeRows(bridges, "raw.commerce_events") >= stream.published &&
        counters.curated + bridgeRows(bridges, "ops.dead_letters") + counters.duplicates >= stream.published,
      drainTimeoutMs,
    );
    // Let in-flight redeliveries and bridge batches settle, then take the counts.
    await sleep(1000);
    log(drained ? "subscriptions drained" : `subscriptions did not drain within ${drainTimeoutMs} ms; reporting what arrived`);
    phase("drain");

    const job = resourcesOfType(tf, "google_cloud_scheduler_job")[0]?.[1];
    if (!job) throw new Error("the dev stack has no google_cloud_scheduler_job: nothing triggers the reconciliation");
    const target = block(job.pubsub_target)!;
    const payload = JSON.parse(Buffer.from(String(target.data), "base64").toString("utf8")) as ReconcileRequest;
    // The job sends PREVIOUS_DAY, resolved from the publish time; the generated day is today, so name it as the 02:30 run tomorrow would.
    const request: ReconcileRequest = { ...payload, run_date: payload.run_date === PREVIOUS_DAY ? day.runDate : payload.run_date };
    const requestTopic = referencedName(tf, String(target.topic_name));
    await pubsub.topic(requestTopic).publishMessage({ data: Buffer.from(JSON.stringify(request)) });
    log(`reconcile: published ${JSON.stringify(request)} to ${requestTopic} (the job ${String(job.name)} carries ${JSON.stringify(payload)})`);
    const session = zetasql;
    const run = await waitUntilValue(() => latestRun(new LocalWarehouse({ stateDir: warehouseDir, zetasql: session }), day.runDate), 180_000);
    if (!run) throw new Error(`no ops.reconciliation_runs row for ${day.runDate} after 180 s; see ${join(logDir, "reconciliation.log")}`);
    log(`reconciliation run ${run.run_id}: ${run.status}`);
    phase("reconcile");

    const final = new LocalWarehouse({ stateDir: warehouseDir, zetasql });
    const measured = measure({
      curated: final.rows("curated.commerce_events") as CuratedRow[],
      // Through the view, the one definition of a dead letter's reason (the bridge stores only the message).
      deadLetters: (await final.query<DeadLetterRow>(`SELECT * FROM ${DEAD_LETTERS_VIEW}`)).rows,
      run,
      discrepancies: final.rows("ops.reconciliation_discrepancies") as ReconciliationDiscrepancyRow[],
      poisonEventIds: day.poisonEventIds,
    });
    const report: PipelineReport = {
      seed: opts.seed,
      rate_per_second: opts.rate,
      run_date: day.runDate,
      started_at: new Date(startedAt).toISOString(),
      stream_started_at: new Date(day.startMs).toISOString(),
      duration_ms: Date.now() - startedAt,
      published: stream.published,
      publish_rejected: stream.rejected,
      ...measured,
      duplicates_dropped: counters.duplicates,
      conflicting_copies: counters.conflicting,
      balanced: stream.published === measured.curated + measured.dead_lettered + counters.duplicates,
      raw_mirrored: final.rows("raw.commerce_events").length,
      drained,
      injected: day.injected,
      expected_discrepancies: day.expectedDiscrepancies,
      reconciliation_matches_injected: Object.entries(day.expectedDiscrepancies).every(([k, v]) => measured.reconciliation[k as keyof typeof measured.reconciliation] === v),
      bridged: bridges.map((b) => ({ subscription: b.name, table: b.table, rows: final.rows(b.table).length })),
      not_exercised: unexercisedBehaviours(tf),
      function_restarts: host.restarts(),
      processes: [
        { name: "pubsub-emulator", pid: emulator.process.pid },
        ...(zetasql.ownServer ? [{ name: "zetasql", pid: zetasql.ownServer.pid }] : []),
        ...hosted.map((f) => ({ name: `function ${f.name}`, pid: f.pid })),
      ],
      timings_ms: timings,
    };
    if (opts.keepRunning) {
      const env: Record<string, string> = { PUBSUB_EMULATOR_HOST: emulator.host, PUBSUB_PROJECT_ID: projectId, [ZETASQL_ADDRESS_ENV]: zetasql.address, [LOCAL_STATE_DIR_ENV]: warehouseDir };
      for (const f of hosted) env[`${f.name.toUpperCase()}_URL`] = f.url;
      return { report, running: { env, stop: stopAllParts } };
    }
    await stopAllParts();
    return { report };
  } catch (e) {
    await stopAllParts();
    throw e;
  }
}

function bridgeRows(bridges: readonly BigQuerySubscriptionBridge[], table: string): number {
  return bridges.filter((b) => b.table === table).reduce((n, b) => n + b.written, 0);
}

/** Publishes the day's messages at their planned times, with a progress bar on a terminal. */
async function publishDay(pubsub: PubSub, day: CommerceDay, opts: LocalPipelineOptions, progress: () => { curated: number; dead: number }) {
  const topic = pubsub.topic("commerce-events", { batching: { maxMessages: 200, maxMilliseconds: 5 } });
  const showBar = opts.progress ?? Boolean(process.stdout.isTTY);
  const bar = new SingleBar({
    format: "streaming |{bar}| {value}/{total} published | {rate} msg/s | curated {curated} | dead letters {dead}",
    hideCursor: true,
  });
  let published = 0;
  let rejected = 0;
  const started = day.startMs;
  if (showBar) bar.start(day.messages.length, 0, { rate: 0, curated: 0, dead: 0 });
  const tick = setInterval(() => {
    if (showBar) bar.update(published, { rate: Math.round(published / Math.max(0.001, (Date.now() - started) / 1000)), ...progress() });
  }, 200);
  const pending: Promise<void>[] = [];
  try {
    for (const m of day.messages) {
      const wait = day.startMs + m.atMs - Date.now();
      if (wait > 1) await sleep(wait);
      pending.push(
        topic.publishMessage({ data: Buffer.from(m.data), attributes: m.attributes }).then(
          () => void published++,
          () => void rejected++,
        ),
      );
    }
    await Promise.all(pending);
  } finally {
    clearInterval(tick);
    if (showBar) {
      bar.update(published, { rate: Math.round(published / Math.max(0.001, (Date.now() - started) / 1000)), ...progress() });
      bar.stop();
    }
  }
  return { published, rejected, ms: Date.now() - started };
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await sleep(POLL_MS);
  }
  return true;
}

async function waitUntilValue<T>(get: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v !== undefined || Date.now() > deadline) return v;
    await sleep(POLL_MS * 2);
  }
}

/**
 * The date's result (the run row no other supersedes), else its newest row, e.g. an `error` (a fresh
 * warehouse instance re-reads what the function wrote).
 */
function latestRun(warehouse: LocalWarehouse, runDate: string): ReconciliationRunRow | undefined {
  const runs = (warehouse.rows("ops.reconciliation_runs") as ReconciliationRunRow[]).filter((r) => r.run_date === runDate);
  const newest = (rows: ReconciliationRunRow[]) => rows.sort((a, b) => (a.finished_at < b.finished_at ? 1 : -1))[0];
  return newest(runs.filter((r) => r.status !== "error")) ?? newest(runs);
}
