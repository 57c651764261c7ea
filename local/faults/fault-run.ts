import type { PubSub } from "@google-cloud/pubsub";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../config";
import type { CuratedRow, DeadLetterRow } from "../../contracts";
import type { BigQuerySubscriptionBridge } from "../bridges/bigquery-subscription-bridge";
import { emulatorGapicClients, emulatorPubSub } from "../emulator/emulator-clients";
import { provisionEmulator } from "../emulator/provision-emulator";
import { startPubSubEmulator, type PubSubEmulator } from "../emulator/pubsub-emulator";
import { generateCommerceDay, referenceDataFor, type CommerceDay } from "../generator/commerce-day";
import { SeededRandom } from "../generator/random";
import { synthesizedDevStack } from "../pipeline/dev-stack";
import { pushEndpointsToHostedFunctions, startBridges } from "../pipeline/emulator-wiring";
import { loadReferenceTables } from "../pipeline/load-tables";
import { FunctionsHost } from "../processes/functions-host";
import { LocalWarehouse } from "../warehouse/local-warehouse";
import { ZETASQL_ADDRESS_ENV, startZetaSql, type ZetaSqlSession } from "../zetasql";
import { checkInvariants, deadLetterEventId, expectedOutcome, type ExpectedOutcome, type InvariantCheck } from "./invariants";
import { SINK_FAULT_EVENT, SINK_FAULTS_ENV, type SinkFaultPhase } from "./sink-faults";
import { LOCAL_STATE_DIR_ENV } from "../functions/local-state";
import { LOG_EVENTS } from "../../contracts/log-events";
import { FUNCTION_ENV_VARS } from "../../contracts/function-env";

export interface FaultRunOptions {
  /** Messages to publish, poison and duplicates included. */
  events: number;
  seed: number;
  /** Publish rate, messages per second (an upper bound: see maxBacklog). */
  rate: number;
  /**
   * Publishing pauses while more than this many published messages are not yet handled by the
   * function. The emulator's push slows down as its backlog grows (measured here at load ~20 on
   * 2 cores: ~100 msg/s with 1,000 waiting, ~20 msg/s with 20,000), so an unbounded backlog would
   * measure the emulator, not the pipeline.
   * Default: 1000.
   */
  maxBacklog?: number;
  /** Share of messages that are poison (contract-invalid). */
  poisonShare: number;
  /** Share of messages that are duplicates; a third each exact, re-stamped across local midnight, conflicting payload. */
  duplicateShare: number;
  /** SIGKILLs of the enrichment process, at seeded random points of the stream (by messages handled, 5%-95%). */
  kills: number;
  /** Sink fault phases, in seconds after streaming starts. */
  sinkErrors?: { atS: number; seconds: number; share: number };
  sinkOutage?: { atS: number; seconds: number };
  slowSink?: { atS: number; seconds: number; delayMs: number };
  /** Folder for the warehouse, function logs and the fault plan. */
  stateDir: string;
  /** Give up waiting for the drain after this long past the last publish, in ms. Default: 120 s + 20 ms per event (push runs at 2 concurrent requests locally). */
  drainTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface FaultRunResult extends InvariantCheck {
  events: number;
  poison: number;
  duplicates: number;
  duplicatesByKind: Record<string, number>;
  kills: number;
  restarts: number;
  sinkErrorCalls: number;
  /** Messages still in the enrichment subscription after the drain (pulled, not acked). */
  stranded: number;
  drained: boolean;
  wallS: number;
  timingsS: Record<string, number>;
}

const ENRICHMENT = "enrichment";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The local pipeline under faults: real emulator, ZetaSQL and function processes (supervised), a
 * seeded stream with poison and duplicates, SIGKILLs of the enrichment process, and a failing, dead
 * and slow sink; then the invariants, read from the warehouse itself. Everything it starts is
 * stopped by PID before it returns.
 */
export async function runFaultRun(opts: FaultRunOptions): Promise<FaultRunResult> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const started = Date.now();
  const timingsS: Record<string, number> = {};
  let mark = started;
  const phase = (name: string) => {
    timingsS[name] = Math.round((Date.now() - mark) / 100) / 10;
    mark = Date.now();
  };
  const warehouseDir = join(opts.stateDir, "warehouse");
  const logDir = join(opts.stateDir, "logs");
  const planFile = join(opts.stateDir, "sink-faults.json");
  for (const d of [warehouseDir, logDir]) rmSync(d, { recursive: true, force: true });
  rmSync(planFile, { force: true });
  mkdirSync(opts.stateDir, { recursive: true });

  const { tf } = await synthesizedDevStack(log);
  const projectId = loadConfig("dev").project;
  let emulator: PubSubEmulator | undefined;
  let zetasql: ZetaSqlSession | undefined;
  let pubsub: PubSub | undefined;
  let host: FunctionsHost | undefined;
  const bridges: BigQuerySubscriptionBridge[] = [];
  try {
    [emulator, zetasql] = await Promise.all([startPubSubEmulator({ projectId }), startZetaSql()]);
    const warehouse = new LocalWarehouse({ stateDir: warehouseDir, zetasql });
    const reference = referenceDataFor(opts.seed, Date.now());
    await loadReferenceTables(warehouse, reference);

    let sinkErrorCalls = 0;
    // Messages the function answered for good: written, dead-lettered or dropped as a duplicate.
    let handled = 0;
    let lastEnrichmentLogAt = Date.now();
    host = new FunctionsHost({
      stack: tf,
      localEnv: { PUBSUB_EMULATOR_HOST: emulator.host, [LOCAL_STATE_DIR_ENV]: warehouseDir, [ZETASQL_ADDRESS_ENV]: zetasql.address, [FUNCTION_ENV_VARS.logLevel]: "info", [SINK_FAULTS_ENV]: planFile },
      logDir,
      onLog: (fn, e) => {
        if (fn !== ENRICHMENT) return;
        lastEnrichmentLogAt = Date.now();
        if (e.event === SINK_FAULT_EVENT) sinkErrorCalls++;
        if (e.event === LOG_EVENTS.curatedFlush) handled += Number(e.rows ?? 0) - Number(e.failed_rows ?? 0);
        if (e.event === "dead_lettered" || e.event === "duplicate_dropped") handled++;
      },
      onRestart: (r) => log(`supervisor: ${r.name} ${r.reason === "exited" ? `exited (${r.exit})` : "stopped answering"}, restarted as pid ${r.pid} after ${r.delayMs} ms (restart ${r.restarts})`),
      onRestartFailed: (name, err) => log(`supervisor: ${name} failed to restart, retrying: ${err.message.split("\n")[0]}`),
    });
    const functions = host;
    await host.start();
    const provisioned = await provisionEmulator(tf, {
      projectId,
      emulatorHost: emulator.host,
      pushEndpoints: pushEndpointsToHostedFunctions(tf, functions),
    });
    const enrichmentSub = provisioned.subscriptions.find((s) => s.delivery === "push" && s.pushEndpoint === functions.urlOf(ENRICHMENT));
    if (!enrichmentSub) throw new Error("the dev stack has no push subscription to the enrichment function");
    pubsub = emulatorPubSub({ host: emulator.host, projectId });
    startBridges(provisioned.bridged, { pubsub, projectId, warehouse, log }, bridges);
    phase("setup");

    const day = generateCommerceDay({
      seed: opts.seed,
      events: opts.events,
      ratePerSecond: opts.rate,
      startMs: Date.now() + 1000,
      poisonShare: opts.poisonShare,
      duplicateShare: opts.duplicateShare,
      duplicateVariants: { restamped: 1 / 3, conflicting: 1 / 3 },
    });
    // Fault times count from when streaming really starts: generating the day takes seconds (minutes
    // for 100k events on a loaded machine), so day.startMs may be long past by now.
    writeFileSync(planFile, JSON.stringify(faultPlan(opts, Math.max(day.startMs, Date.now()))));
    const rng = new SeededRandom(opts.seed + 1);
    const killAfterHandled = Array.from({ length: opts.kills }, () => Math.round(opts.events * (0.05 + 0.9 * rng.next()))).sort((a, b) => a - b);
    log(`streaming ${opts.events} messages at up to ${opts.rate}/s; SIGKILL after ${killAfterHandled.join(", ")} messages handled; sink faults ${JSON.stringify(faultPlan(opts, 0))}`);

    let drainOver = false;
    let killsDone = false;
    const killer = killOnSchedule(host, killAfterHandled, () => handled, () => drainOver, log).finally(() => (killsDone = true));
    const published = await publishDay(pubsub, day, opts.maxBacklog ?? 1000, () => handled);
    phase("stream");

    // Drained: every kill done, every valid event written, every poison event dead-lettered, and the function quiet.
    const expect = expectedOutcome(day);
    const progress = new DrainProgress(warehouse);
    const drainTimeoutMs = opts.drainTimeoutMs ?? 120_000 + 20 * opts.events;
    const drainDeadline = Date.now() + drainTimeoutMs;
    let drained = false;
    while (Date.now() < drainDeadline) {
      progress.refresh();
      if (killsDone && progress.complete(expect) && Date.now() - lastEnrichmentLogAt > 3000) {
        drained = true;
        break;
      }
      await sleep(500);
    }
    drainOver = true;
    const kills = await killer;
    if (kills < opts.kills) log(`only ${kills} of ${opts.kills} kills happened`);
    log(drained ? "drained" : `not drained after ${drainTimeoutMs} ms: ${progress.describe(expect)}`);
    phase("drain");

    const stranded = await strandedMessages(emulator, enrichmentSub.name);
    await Promise.allSettled(bridges.map((b) => b.stop()));
    const check = await checkInvariants(warehouse, expect);
    phase("check");
    const duplicatesByKind: Record<string, number> = {};
    for (const m of day.messages) if (m.role === "duplicate") duplicatesByKind[m.duplicateKind ?? "exact"] = (duplicatesByKind[m.duplicateKind ?? "exact"] ?? 0) + 1;
    if (published !== day.messages.length) log(`only ${published} of ${day.messages.length} messages were accepted at publish`);
    return {
      events: published,
      poison: expect.poison.size,
      duplicates: day.messages.filter((m) => m.role === "duplicate").length,
      duplicatesByKind,
      kills,
      restarts: host.restarts()[ENRICHMENT] ?? 0,
      sinkErrorCalls,
      stranded,
      drained,
      ...check,
      wallS: Math.round((Date.now() - started) / 100) / 10,
      timingsS,
    };
  } finally {
    await Promise.allSettled(bridges.map((b) => b.stop()));
    await pubsub?.close().catch(() => undefined);
    await host?.stop();
    await Promise.allSettled([zetasql?.close(), emulator?.stop()]);
  }
}

/** The bench's last line, in the order the issue names its fields. */
export function faultLine(r: FaultRunResult): string {
  return (
    `faults: events=${r.events} poison=${r.poison} duplicates=${r.duplicates} kills=${r.kills} restarts=${r.restarts} ` +
    `sink_error_calls=${r.sinkErrorCalls} lost=${r.lost} duplicated=${r.duplicated} dlq_exact=${r.dlqExact ? "yes" : "no"} stranded=${r.stranded} wall_s=${r.wallS.toFixed(1)}`
  );
}

/** The sink fault phases on the wall clock, from offsets after streaming starts. */
export function faultPlan(opts: Pick<FaultRunOptions, "sinkErrors" | "sinkOutage" | "slowSink">, streamStartMs: number): SinkFaultPhase[] {
  const at = (s: number) => streamStartMs + Math.round(s * 1000);
  const plan: SinkFaultPhase[] = [];
  if (opts.sinkErrors) plan.push({ kind: "errors", fromMs: at(opts.sinkErrors.atS), toMs: at(opts.sinkErrors.atS + opts.sinkErrors.seconds), share: opts.sinkErrors.share });
  if (opts.sinkOutage) plan.push({ kind: "outage", fromMs: at(opts.sinkOutage.atS), toMs: at(opts.sinkOutage.atS + opts.sinkOutage.seconds) });
  if (opts.slowSink) plan.push({ kind: "slow", fromMs: at(opts.slowSink.atS), toMs: at(opts.slowSink.atS + opts.slowSink.seconds), delayMs: opts.slowSink.delayMs });
  return plan;
}

/** Follows the curated and dead-letter tables as they grow (rows are read incrementally). */
class DrainProgress {
  private readonly curated = new Set<string>();
  private readonly dead = new Set<string>();
  private curatedSeen = 0;
  private deadSeen = 0;

  constructor(private readonly warehouse: LocalWarehouse) {}

  refresh(): void {
    const curated = this.warehouse.rows("curated.commerce_events") as CuratedRow[];
    for (; this.curatedSeen < curated.length; this.curatedSeen++) this.curated.add(curated[this.curatedSeen].event_id);
    const dead = this.warehouse.rows("ops.dead_letters") as DeadLetterRow[];
    for (; this.deadSeen < dead.length; this.deadSeen++) {
      const id = deadLetterEventId(dead[this.deadSeen]);
      if (id !== undefined) this.dead.add(id);
    }
  }

  complete(e: ExpectedOutcome): boolean {
    return this.curated.size >= e.valid.size && [...e.valid].every((id) => this.curated.has(id)) && [...e.poison].every((id) => this.dead.has(id));
  }

  describe(e: ExpectedOutcome): string {
    const missing = [...e.valid].filter((id) => !this.curated.has(id)).length;
    const poison = [...e.poison].filter((id) => !this.dead.has(id)).length;
    return `${missing} valid events not curated, ${poison} poison events not dead-lettered`;
  }
}

/**
 * SIGKILLs the enrichment process group once the function has handled each planned number of
 * messages (waiting for the restart in between); resolves to the kills sent, early if the run is over.
 */
async function killOnSchedule(host: FunctionsHost, afterHandled: readonly number[], handled: () => number, over: () => boolean, log: (l: string) => void): Promise<number> {
  let kills = 0;
  for (const point of afterHandled) {
    while (handled() < point) {
      if (over()) return kills;
      await sleep(20);
    }
    const fn = host.supervised(ENRICHMENT);
    while (fn.restarts < kills) await sleep(50);
    const pid = fn.pid;
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      process.kill(pid, "SIGKILL");
    }
    kills++;
    log(`fault: SIGKILL to enrichment pid ${pid} after ${handled()} messages handled (kill ${kills})`);
  }
  return kills;
}

/** Publishes the day's messages on schedule, never more than maxBacklog ahead of the function; resolves to how many the topic accepted. */
async function publishDay(pubsub: PubSub, day: CommerceDay, maxBacklog: number, handled: () => number): Promise<number> {
  const topic = pubsub.topic("commerce-events", { batching: { maxMessages: 500, maxMilliseconds: 10 } });
  let accepted = 0;
  let sent = 0;
  const pending: Promise<void>[] = [];
  for (const m of day.messages) {
    const wait = day.startMs + m.atMs - Date.now();
    if (wait > 1) await sleep(wait);
    while (sent - handled() > maxBacklog) await sleep(50);
    sent++;
    pending.push(topic.publishMessage({ data: Buffer.from(m.data), attributes: m.attributes }).then(() => void accepted++));
  }
  await Promise.all(pending);
  return accepted;
}

/**
 * Messages left in a push subscription: detaches the push endpoint (the subscription becomes pull)
 * and pulls until it comes back empty, without acking. Zero means nothing is stranded.
 */
async function strandedMessages(emulator: PubSubEmulator, subscription: string): Promise<number> {
  const clients = emulatorGapicClients(emulator);
  const name = `projects/${emulator.projectId}/subscriptions/${subscription}`;
  try {
    await clients.subscriber.modifyPushConfig({ subscription: name, pushConfig: {} });
    const ids = new Set<string>();
    for (let empty = 0; empty < 3; ) {
      const [res] = await clients.subscriber.pull({ subscription: name, maxMessages: 1000, returnImmediately: true }, { timeout: 10_000 });
      const got = res.receivedMessages ?? [];
      for (const m of got) ids.add(m.message?.messageId ?? "");
      empty = got.length === 0 ? empty + 1 : 0;
      if (got.length === 0) await sleep(500);
    }
    return ids.size;
  } finally {
    await clients.close();
  }
}
