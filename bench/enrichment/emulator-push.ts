import { PubSub } from "@google-cloud/pubsub";
import { createServer, type Server } from "node:http";
import { commerceEventFields, toAvroJson } from "../../contracts";
import { freePort } from "../../local/free-port";
import { provisionEmulator } from "../../local/provision-emulator";
import type { PubSubEmulator } from "../../local/pubsub-emulator";
import type { TerraformJson } from "../../local/terraform-json";
import { distribution } from "../../functions/runtime/percentiles";
import type { RecordedInsert } from "../../functions/runtime/recording-warehouse";
import { orderPlaced } from "../../test/functions/enrichment/fixtures";
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

/** An endpoint that answers 204 at once and remembers when the last request arrived: the raw push ceiling. */
class NoopEndpoint {
  received = 0;
  lastAtMs = 0;
  private readonly server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      this.received++;
      this.lastAtMs = Date.now();
      res.statusCode = 204;
      res.end();
    });
  });
  url = "";

  async start(): Promise<this> {
    const port = await freePort();
    await new Promise<void>((r) => this.server.listen(port, "127.0.0.1", () => r()));
    this.url = `http://127.0.0.1:${port}/`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
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
    private readonly noop: NoopEndpoint,
  ) {}

  static async start(emulator: PubSubEmulator, tf: TerraformJson, fn: BenchFunction): Promise<PushBench> {
    const noop = await new NoopEndpoint().start();
    await provisionEmulator(tf, { projectId: emulator.projectId, emulatorHost: emulator.host, pushEndpoints: { [SUBSCRIPTION]: fn.url } });
    const pubsub = new PubSub({ projectId: emulator.projectId, apiEndpoint: emulator.host, emulatorMode: true });
    return new PushBench(pubsub, fn, noop);
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
  async rawRun(prefix: string, count: number): Promise<PushRun> {
    await this.pushTo(this.noop.url);
    const payloads = commerceEvents(prefix, count);
    const before = this.noop.received;
    const started = Date.now();
    await this.publish(payloads);
    await until(`${count} raw pushes of ${prefix}`, () => this.noop.received - before >= count, 600_000);
    return { eps: count / ((this.noop.lastAtMs - started) / 1000) };
  }

  async close(): Promise<void> {
    await this.pubsub.close();
    await this.noop.close();
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
