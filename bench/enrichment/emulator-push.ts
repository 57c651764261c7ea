import { PubSub } from "@google-cloud/pubsub";
import { createServer } from "node:http";
import { join } from "node:path";
import { commerceEventFields, toAvroJson } from "../../contracts";
import { freePort } from "../../local/processes/free-port";
import { startProcess } from "../../local/processes/managed-process";
import { provisionEmulator } from "../../local/emulator/provision-emulator";
import type { PubSubEmulator } from "../../local/emulator/pubsub-emulator";
import type { TerraformJson } from "../../stacks/terraform-json";
import { distribution } from "../../functions/runtime/percentiles";
import type { RecordedInsert } from "../../local/warehouse/recording-warehouse";
import { orderPlaced } from "../../fixtures/commerce-events";
import type { BenchFunction } from "./function-under-test";

const TOPIC = "commerce-events";
const SUBSCRIPTION = "enrichment";

export interface PushRun {
  /** Messages delivered per second, from the first publish call to the last delivery. */
  eps: number;
  /** publish -> sink latency per event, ms (function runs only). */
  p50Ms?: number;
  p99Ms?: number;
}

/** Avro-JSON commerce events `${prefix}-${i}`; occurred_at is now, so the sink can tell each one's latency. */
function commerceEvents(prefix: string, count: number): Buffer[] {
  const now = new Date().toISOString();
  return Array.from({ length: count }, (_, i) =>
    Buffer.from(JSON.stringify(toAvroJson(commerceEventFields, orderPlaced({ event_id: `${prefix}-${i}`, order_id: `o-${prefix}-${i}`, occurred_at: now })))),
  );
}

async function until(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A push endpoint the bench can time: how many pushes it answered, and when it answered the last one. */
interface TimedEndpoint {
  readonly url: string;
  answered(): { count: number; lastAtMs: number };
  close(): Promise<void>;
}

/** In this process: answers 204 at once, the emulator's raw push ceiling. */
async function bareNoopEndpoint(): Promise<TimedEndpoint> {
  const port = await freePort();
  let count = 0;
  let lastAtMs = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      count++;
      lastAtMs = Date.now();
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  return { url: `http://127.0.0.1:${port}/`, answered: () => ({ count, lastAtMs }), close: () => new Promise((r) => server.close(() => r())) };
}

/** In its own process: the no-op Functions Framework handler (a diagnostic: the framework's own cost per push). */
async function frameworkNoopEndpoint(): Promise<TimedEndpoint> {
  const port = await freePort();
  const proc = startProcess("framework no-op", process.execPath, ["--import", "tsx", join(__dirname, "framework-noop-server.ts"), String(port)], {
    env: { ...process.env, NODE_ENV: "production" },
  });
  try {
    await proc.waitFor(/listening on/, 30_000);
  } catch (e) {
    await proc.stop();
    throw e;
  }
  return {
    url: `http://127.0.0.1:${port}/`,
    answered: () => {
      const last = [...proc.output().matchAll(/answered (\d+) (\d+)/g)].pop();
      return last ? { count: Number(last[1]), lastAtMs: Number(last[2]) } : { count: 0, lastAtMs: 0 };
    },
    close: () => proc.stop(),
  };
}

/**
 * (b) on one emulator: the dev stack's commerce-events topic and enrichment push subscription, provisioned
 * from the stack. Both sides are measured the same way: the same subscription (schema, retry and
 * dead-letter policy), the same kind and number of events, the clock from the first publish call to
 * the last delivery; only the push endpoint differs (switched with modifyPushConfig between runs).
 */
export class PushBench {
  private constructor(
    private readonly pubsub: PubSub,
    private readonly fn: BenchFunction,
    private readonly noop: TimedEndpoint,
    private readonly frameworkNoop: TimedEndpoint,
  ) {}

  static async start(emulator: PubSubEmulator, tf: TerraformJson, fn: BenchFunction): Promise<PushBench> {
    const noop = await bareNoopEndpoint();
    const framework = await frameworkNoopEndpoint();
    const provisioned = await provisionEmulator(tf, { projectId: emulator.projectId, emulatorHost: emulator.host, pushEndpoints: { [SUBSCRIPTION]: fn.url } });
    const pubsub = new PubSub({ projectId: emulator.projectId, apiEndpoint: emulator.host, emulatorMode: true });
    // Other subscriptions on the topic are pull stand-ins nobody drains here (e.g. the BigQuery one, which
    // the emulator cannot run): their backlog would grow by every run and slow the emulator run by run.
    for (const s of provisioned.subscriptions) {
      if (s.topic !== TOPIC || s.name === SUBSCRIPTION || s.delivery === "push") continue;
      await pubsub.subscription(s.name).delete();
      console.log(`(b) removed the undrained ${s.delivery} subscription ${s.name} from ${TOPIC} for the bench`);
    }
    return new PushBench(pubsub, fn, noop, framework);
  }

  /** Publishes `count` events while the subscription pushes to the function; waits until all are at the sink. */
  async functionRun(prefix: string, count: number): Promise<PushRun> {
    await this.pushTo(this.fn.url);
    const payloads = commerceEvents(prefix, count);
    // Scans only rows appended since the last poll: polling must not steal CPU from the function.
    const rows: RecordedInsert[] = [];
    const ids = new Set<string>();
    let scanned = this.fn.rows().length;
    const started = Date.now();
    await this.publish(payloads);
    await until(`${count} rows of ${prefix} at the sink`, () => {
      const all = this.fn.rows();
      for (; scanned < all.length; scanned++) {
        const r = all[scanned];
        if (r.insertId?.startsWith(`${prefix}-`) && !ids.has(r.insertId)) {
          ids.add(r.insertId);
          rows.push(r);
        }
      }
      return ids.size >= count;
    }, 600_000);
    const end = rows.reduce((m, r) => Math.max(m, r.recordedAtMs), 0);
    const lat = distribution(rows.map((r) => r.recordedAtMs - Date.parse(String(r.row.occurred_at))))!;
    return { eps: count / ((end - started) / 1000), p50Ms: lat.p50, p99Ms: lat.p99 };
  }

  /** The same, pushed to an endpoint that answers 204 at once. */
  rawRun(prefix: string, count: number): Promise<PushRun> {
    return this.endpointRun(this.noop, prefix, count);
  }

  /** The same, pushed to a no-op Functions Framework handler in its own process, like the function. */
  frameworkNoopRun(prefix: string, count: number): Promise<PushRun> {
    return this.endpointRun(this.frameworkNoop, prefix, count);
  }

  private async endpointRun(endpoint: TimedEndpoint, prefix: string, count: number): Promise<PushRun> {
    await this.pushTo(endpoint.url);
    const payloads = commerceEvents(prefix, count);
    const before = endpoint.answered().count;
    const started = Date.now();
    await this.publish(payloads);
    await until(`${count} pushes of ${prefix}`, () => endpoint.answered().count - before >= count, 600_000);
    return { eps: count / ((endpoint.answered().lastAtMs - started) / 1000) };
  }

  async close(): Promise<void> {
    await this.pubsub.close();
    await this.noop.close();
    await this.frameworkNoop.close();
  }

  private async pushTo(url: string): Promise<void> {
    await this.pubsub.subscription(SUBSCRIPTION).modifyPushConfig({ pushEndpoint: url });
  }

  private async publish(payloads: Buffer[]): Promise<void> {
    const t = this.pubsub.topic(TOPIC, { batching: { maxMessages: 1000, maxMilliseconds: 10 } });
    await Promise.all(payloads.map((data) => t.publishMessage({ data })));
    await t.flush();
  }
}
