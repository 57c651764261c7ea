import { PubSub } from "@google-cloud/pubsub";
import { createServer } from "node:http";
import { commerceEventFields, toAvroJson } from "../../contracts";
import { freePort } from "../../local/free-port";
import { provisionEmulator } from "../../local/provision-emulator";
import type { PubSubEmulator } from "../../local/pubsub-emulator";
import type { TerraformJson } from "../../local/terraform-json";
import { distribution } from "../../functions/runtime/percentiles";
import { orderPlaced } from "../../test/functions/enrichment/fixtures";
import type { BenchFunction } from "./function-under-test";

async function publishAll(pubsub: PubSub, topic: string, payloads: Buffer[]): Promise<void> {
  const t = pubsub.topic(topic, { batching: { maxMessages: 1000, maxMilliseconds: 10 } });
  const inflight: Promise<string>[] = [];
  for (const data of payloads) inflight.push(t.publishMessage({ data }));
  await Promise.all(inflight);
  await t.flush();
}

async function until(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface PushResult {
  eps: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * Publishes `count` events to commerce-events (provisioned from the dev stack, pushing to the
 * function) and measures delivered-to-sink events/s and publish -> sink latency per event.
 */
export async function measureFunctionPush(emulator: PubSubEmulator, tf: TerraformJson, fn: BenchFunction, count: number): Promise<PushResult> {
  await provisionEmulator(tf, { projectId: emulator.projectId, emulatorHost: emulator.host, pushEndpoints: { enrichment: fn.url } });
  const pubsub = new PubSub({ projectId: emulator.projectId, apiEndpoint: emulator.host, emulatorMode: true });
  try {
    const started = Date.now();
    // occurred_at carries the publish moment, so the sink can tell each event's publish -> sink latency.
    const payloads = Array.from({ length: count }, (_, i) =>
      Buffer.from(JSON.stringify(toAvroJson(commerceEventFields, orderPlaced({ event_id: `push-${i}`, order_id: `o-${i}`, occurred_at: new Date(Date.now()).toISOString() })))),
    );
    await publishAll(pubsub, "commerce-events", payloads);
    const seen = new Set<string | null>();
    let scanned = 0;
    await until(`${count} rows at the sink`, () => {
      const rows = fn.rows();
      for (; scanned < rows.length; scanned++) seen.add(rows[scanned].insertId);
      return seen.size >= count;
    }, 600_000);
    const rows = fn.rows();
    const end = Math.max(...rows.map((r) => r.recordedAtMs));
    const lat = distribution(rows.map((r) => r.recordedAtMs - Date.parse(String(r.row.occurred_at))))!;
    return { eps: count / ((end - started) / 1000), p50Ms: lat.p50, p99Ms: lat.p99 };
  } finally {
    await pubsub.close();
  }
}

/** The emulator's own push rate to an endpoint that answers 204 at once: the ceiling for (b). */
export async function measureRawPush(emulator: PubSubEmulator, count: number): Promise<number> {
  const port = await freePort();
  let received = 0;
  let last = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received++;
      last = Date.now();
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  const pubsub = new PubSub({ projectId: emulator.projectId, apiEndpoint: emulator.host, emulatorMode: true });
  try {
    const [topic] = await pubsub.createTopic("bench-raw-push");
    await topic.createSubscription("bench-raw-push-sub", { pushConfig: { pushEndpoint: `http://127.0.0.1:${port}/` } });
    const started = Date.now();
    await publishAll(pubsub, "bench-raw-push", Array.from({ length: count }, (_, i) => Buffer.from(`{"n":${i}}`)));
    await until(`${count} raw pushes`, () => received >= count, 600_000);
    return count / ((last - started) / 1000);
  } finally {
    await pubsub.close();
    server.close();
  }
}
