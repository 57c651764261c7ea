import autocannon from "autocannon";
import { resolve } from "node:path";
import { commerceEventFields, toAvroJson } from "../../contracts";
import { ENRICHMENT_ENV_VARS as V } from "../../contracts/function-env";
import { freePort } from "../../local/processes/free-port";
import { startProcess } from "../../local/processes/managed-process";
import { orderPlaced } from "../../fixtures/commerce-events";
import { FLUSH_CONCURRENCY_ENV, MEASURED_PORT_ENV, NOOP_VARIANT_ENV, SINK_LATENCY_ENV, STATS_PORT_ENV, type NoopVariant } from "./child-env";
import { readStats } from "./stats-channel";

const ROOT = resolve(__dirname, "../..");

/** One measured process (plain node on a bundle, its own process group) and its stats side channel. */
export interface Instance {
  readonly url: string;
  readonly statsPort: number;
  stop(): Promise<void>;
}

async function startMeasured(name: string, bundle: string, env: Record<string, string>): Promise<Instance> {
  const [port, statsPort] = [await freePort(), await freePort()];
  const proc = startProcess(name, process.execPath, [bundle], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", [MEASURED_PORT_ENV]: String(port), [STATS_PORT_ENV]: String(statsPort), ...env },
  });
  try {
    await proc.waitFor(/listening on http:\/\/127\.0\.0\.1/, 30_000);
  } catch (e) {
    await proc.stop();
    throw e;
  }
  return { url: `http://127.0.0.1:${port}/`, statsPort, stop: () => proc.stop() };
}

/** The enrichment function (deployed binding, `prod` config, info logs as deployed) over a sink of `latencyMs`. */
export function startFunctionInstance(bundle: string, latencyMs: number, flushConcurrency?: number): Promise<Instance> {
  return startMeasured(`measured enrichment (sink ${latencyMs} ms)`, bundle, {
    [SINK_LATENCY_ENV]: String(latencyMs),
    ...(flushConcurrency ? { [FLUSH_CONCURRENCY_ENV]: String(flushConcurrency) } : {}),
    [V.environment]: "prod",
    [V.projectId]: "streamline-bench",
    [V.deadLetterTopic]: "commerce-events-dlq",
    [V.pipelineVersion]: "bench",
  });
}

/** A no-op Functions Framework handler doing `variant` per request, served the same way. */
export function startNoopInstance(bundle: string, variant: NoopVariant): Promise<Instance> {
  return startMeasured(`measured no-op (${variant})`, bundle, { [NOOP_VARIANT_ENV]: variant });
}

/** A fresh push envelope per call (a new event id each time, so none is dropped as a duplicate). */
export function freshEnvelopes(prefix: string): () => string {
  let i = 0;
  return () => {
    const n = i++;
    const event = orderPlaced({ event_id: `${prefix}-${n}`, order_id: `o-${prefix}-${n}`, occurred_at: new Date().toISOString() });
    const data = Buffer.from(JSON.stringify(toAvroJson(commerceEventFields, event))).toString("base64");
    return JSON.stringify({ message: { data, messageId: `${prefix}-${n}`, attributes: {}, publishTime: new Date().toISOString() }, subscription: "projects/streamline-bench/subscriptions/enrichment" });
  };
}

export interface LoadWindow {
  /** 2xx answers per second. */
  rps: number;
  p99Ms: number;
  /** Non-2xx answers plus connection errors and timeouts (Pub/Sub redelivers those pushes too). */
  non2xx: number;
  /** Of which connection errors and timeouts (autocannon's 10 s). */
  errors: number;
  /** Units the process finished in the window (rows written, or requests answered). */
  done: number;
  /** The process's own CPU time (user + system) per unit finished, µs. */
  cpuUsPerUnit: number;
  /** Units per insert call (function only). */
  unitsPerCall: number;
  maxRssMb: number;
}

/**
 * `connections` concurrent requests for `seconds` (autocannon), each carrying an X-Cloud-Trace-Context
 * header as Cloud Run adds to every request; the process's CPU and memory are read from its side
 * channel just before and after.
 */
export async function loadWindow(instance: Instance, nextBody: () => string, connections: number, seconds: number): Promise<LoadWindow> {
  const before = await readStats(instance.statsPort);
  let trace = 0;
  const result = await autocannon({
    url: instance.url,
    connections,
    duration: seconds,
    method: "POST",
    headers: { "content-type": "application/json" },
    requests: [{ setupRequest: (req) => ({ ...req, body: nextBody(), headers: { ...req.headers, "x-cloud-trace-context": `${(++trace).toString(16).padStart(32, "0")}/1;o=1` } }) }],
  });
  const after = await readStats(instance.statsPort);
  const done = after.done - before.done;
  const calls = after.calls - before.calls;
  return {
    rps: result["2xx"] / result.duration,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx + result.errors + result.timeouts,
    errors: result.errors + result.timeouts,
    done,
    cpuUsPerUnit: done > 0 ? (after.cpuUs - before.cpuUs) / done : NaN,
    unitsPerCall: calls > 0 ? done / calls : 0,
    maxRssMb: after.maxRssBytes / 2 ** 20,
  };
}
