/**
 * Emulator fidelity, as code: each test pins one way the emulator departs from Pub/Sub (or one
 * capability the local pipeline relies on). An emulator upgrade that changes a behaviour fails here,
 * and the local run's "not exercised locally" list (local/emulator/emulator-gaps.ts) must then be revisited.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { commerceEventAvroSchema, commerceEventFields, toAvroJson } from "../../contracts";
import { emulatorGapicClients, emulatorPubSub } from "../../local/emulator/emulator-clients";
import { startPubSubEmulator, type PubSubEmulator } from "../../local/emulator/pubsub-emulator";

const GRPC_INVALID_ARGUMENT = 3;
const GRPC_UNIMPLEMENTED = 12;
// Pinned by the seek probe below: what a seek to a time redelivers when only the topic retains messages.
const SEEK_TIME_WITH_TOPIC_RETENTION_ONLY: string[] = ["a", "b"];

let emulator: PubSubEmulator;
let clients: ReturnType<typeof emulatorGapicClients>;

const topic = (name: string) => `projects/${emulator.projectId}/topics/${name}`;
const sub = (name: string) => `projects/${emulator.projectId}/subscriptions/${name}`;

beforeAll(async () => {
  emulator = await startPubSubEmulator();
  clients = emulatorGapicClients(emulator);
}, 90_000);

afterAll(async () => {
  await clients?.close();
  await emulator?.stop();
});

async function publish(topicName: string, messages: { data: string; attributes?: Record<string, string>; orderingKey?: string }[]) {
  const [res] = await clients.publisher.publish({
    topic: topic(topicName),
    messages: messages.map((m) => ({ ...m, data: Buffer.from(m.data) })),
  });
  return res.messageIds ?? [];
}

/** Synchronous pull until `want` messages arrived or `waitMs` passed (returnImmediately keeps each call short). */
async function pullUpTo(subName: string, want: number, waitMs: number) {
  const got: { ackId: string; data: string; attributes: Record<string, string>; deliveryAttempt: number }[] = [];
  const deadline = Date.now() + waitMs;
  while (got.length < want && Date.now() < deadline) {
    const [res] = await clients.subscriber.pull(
      { subscription: sub(subName), maxMessages: want - got.length, returnImmediately: true },
      { timeout: 3000 },
    );
    for (const m of res.receivedMessages ?? []) {
      got.push({
        ackId: m.ackId ?? "",
        data: Buffer.from(m.message?.data ?? "").toString(),
        attributes: (m.message?.attributes ?? {}) as Record<string, string>,
        deliveryAttempt: m.deliveryAttempt ?? 0,
      });
    }
    if (got.length < want) await new Promise((r) => setTimeout(r, 100));
  }
  return got;
}

async function nack(subName: string, ackIds: string[]) {
  await clients.subscriber.modifyAckDeadline({ subscription: sub(subName), ackIds, ackDeadlineSeconds: 0 });
}

async function grpcCode(p: Promise<unknown>): Promise<number | "ok"> {
  try {
    await p;
    return "ok";
  } catch (e) {
    return (e as { code?: number }).code ?? -1;
  }
}

test("subscription filters are accepted but not enforced", async () => {
  await clients.publisher.createTopic({ name: topic("filter-topic") });
  const filter = 'attributes.kind = "keep"';
  await clients.subscriber.createSubscription({ name: sub("filter-sub"), topic: topic("filter-topic"), filter });
  const [created] = await clients.subscriber.getSubscription({ subscription: sub("filter-sub") });
  expect(created.filter).toBe(filter);

  await publish("filter-topic", [
    { data: "kept", attributes: { kind: "keep" } },
    { data: "should-be-filtered-out", attributes: { kind: "drop" } },
  ]);
  const got = await pullUpTo("filter-sub", 2, 5000);
  // Pub/Sub would deliver only "kept"; the emulator delivers both.
  expect(got.map((m) => m.data).sort()).toEqual(["kept", "should-be-filtered-out"]);
});

test("the first redelivery ignores the retry policy's minimum backoff", async () => {
  await clients.publisher.createTopic({ name: topic("backoff-topic") });
  await clients.subscriber.createSubscription({
    name: sub("backoff-sub"),
    topic: topic("backoff-topic"),
    ackDeadlineSeconds: 10,
    retryPolicy: { minimumBackoff: { seconds: 30 }, maximumBackoff: { seconds: 60 } },
  });
  await publish("backoff-topic", [{ data: "retry-me" }]);
  const [first] = await pullUpTo("backoff-sub", 1, 5000);
  expect(first?.data).toBe("retry-me");
  const nackedAt = Date.now();
  await nack("backoff-sub", [first.ackId]);
  const [again] = await pullUpTo("backoff-sub", 1, 10_000);
  // Pub/Sub would hold it back for at least 30 s.
  expect(again?.data).toBe("retry-me");
  expect(Date.now() - nackedAt).toBeLessThan(10_000);
});

describe("dead-lettering after max delivery attempts", () => {
  async function nackUntilGone(subName: string, maxRounds: number): Promise<number> {
    let deliveries = 0;
    for (let round = 0; round < maxRounds; round++) {
      const got = await pullUpTo(subName, 1, 3000);
      if (got.length === 0) break;
      deliveries++;
      await nack(subName, got.map((m) => m.ackId));
    }
    return deliveries;
  }

  async function deadLetteredSetup(prefix: string, ordered: boolean) {
    await clients.publisher.createTopic({ name: topic(`${prefix}-topic`) });
    await clients.publisher.createTopic({ name: topic(`${prefix}-dlq`) });
    await clients.subscriber.createSubscription({ name: sub(`${prefix}-dlq-sub`), topic: topic(`${prefix}-dlq`) });
    await clients.subscriber.createSubscription({
      name: sub(`${prefix}-sub`),
      topic: topic(`${prefix}-topic`),
      enableMessageOrdering: ordered,
      deadLetterPolicy: { deadLetterTopic: topic(`${prefix}-dlq`), maxDeliveryAttempts: 5 },
    });
    await publish(`${prefix}-topic`, [{ data: "always-fails", ...(ordered ? { orderingKey: "store-1" } : {}) }]);
  }

  test("without ordering, the message reaches the dead-letter topic with delivery-count attributes", async () => {
    await deadLetteredSetup("dl-plain", false);
    expect(await nackUntilGone("dl-plain-sub", 8)).toBe(5);
    const [dead] = await pullUpTo("dl-plain-dlq-sub", 1, 5000);
    expect(dead?.data).toBe("always-fails");
    expect(dead.attributes.CloudPubSubDeadLetterSourceDeliveryCount).toBe("5");
    expect(dead.attributes.CloudPubSubDeadLetterSourceSubscription).toBe("dl-plain-sub");
  });

  test("with ordering enabled, a message that reaches max attempts vanishes instead of being dead-lettered", async () => {
    await deadLetteredSetup("dl-ordered", true);
    let deliveries = 0;
    for (let attempt = 1; attempt <= 5; attempt++) {
      const [m] = await pullUpTo("dl-ordered-sub", 1, 3000);
      expect(m?.deliveryAttempt).toBe(attempt);
      deliveries++;
      await nack("dl-ordered-sub", [m.ackId]);
    }
    expect(deliveries).toBe(5);
    // Pub/Sub would now forward it to the dead-letter topic. The pinned emulator fails inside pull
    // instead (a NullPointerException while dead-lettering an ordered backlog), so pulls on that
    // subscription error and the message never reaches the DLQ.
    const pullAfter = clients.subscriber.pull({ subscription: sub("dl-ordered-sub"), maxMessages: 1, returnImmediately: true }, { timeout: 2000 });
    expect(await grpcCode(pullAfter)).not.toBe("ok");
    expect(await pullUpTo("dl-ordered-dlq-sub", 1, 2000)).toHaveLength(0);
  });
});

test("a BigQuery subscription writes nothing and behaves like a pull subscription", async () => {
  await clients.publisher.createTopic({ name: topic("bq-topic") });
  const [created] = await clients.subscriber.createSubscription({
    name: sub("bq-sub"),
    topic: topic("bq-topic"),
    bigqueryConfig: { table: "streamline-local.raw.commerce_events", writeMetadata: true },
  });
  expect(created.name).toBe(sub("bq-sub"));
  await publish("bq-topic", [{ data: "mirrored?" }]);
  // Pub/Sub would write a row to BigQuery and never hand the message to a puller.
  const got = await pullUpTo("bq-sub", 1, 5000);
  expect(got.map((m) => m.data)).toEqual(["mirrored?"]);
});

test("push delivery uses at most 2 concurrent requests", async () => {
  const holdMs = 150;
  let inFlight = 0;
  let maxInFlight = 0;
  let delivered = 0;
  const server: Server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    req.resume();
    setTimeout(() => {
      inFlight--;
      delivered++;
      res.writeHead(204).end();
    }, holdMs);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  try {
    const { port } = server.address() as AddressInfo;
    await clients.publisher.createTopic({ name: topic("push-topic") });
    await clients.subscriber.createSubscription({
      name: sub("push-sub"),
      topic: topic("push-topic"),
      ackDeadlineSeconds: 10,
      pushConfig: { pushEndpoint: `http://127.0.0.1:${port}/push` },
    });
    const total = 24;
    await publish("push-topic", Array.from({ length: total }, (_, i) => ({ data: `m${i}` })));
    const deadline = Date.now() + 20_000;
    while (delivered < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(delivered).toBe(total);
    // Production push raises concurrency while the endpoint keeps up; 24 slow requests would overlap far more.
    expect(maxInFlight).toBe(2);
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test("push with a retry policy strands messages that were nacked; without one, every message is redelivered", async () => {
  // Each message is refused (503) on its first two deliveries, then acked: Pub/Sub would redeliver
  // every one within the policy's maximum backoff (10 s) and ack them all.
  const deliveries = new Map<string, number>();
  const acked = new Set<string>();
  const lastDeliveryAt = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      const key = `${req.url ?? ""} ${(JSON.parse(body) as { message: { messageId: string } }).message.messageId}`;
      const n = (deliveries.get(key) ?? 0) + 1;
      deliveries.set(key, n);
      lastDeliveryAt.set(key, Date.now());
      if (n > 2) acked.add(key);
      res.writeHead(n > 2 ? 204 : 503).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  try {
    const { port } = server.address() as AddressInfo;
    await clients.publisher.createTopic({ name: topic("stall-topic") });
    await clients.publisher.createTopic({ name: topic("stall-dlq") });
    for (const [name, retryPolicy] of [
      ["with-policy", { minimumBackoff: { seconds: 1 }, maximumBackoff: { seconds: 10 } }],
      ["without-policy", undefined],
    ] as const) {
      await clients.subscriber.createSubscription({
        name: sub(`stall-${name}`),
        topic: topic("stall-topic"),
        ackDeadlineSeconds: 10,
        pushConfig: { pushEndpoint: `http://127.0.0.1:${port}/${name}` },
        deadLetterPolicy: { deadLetterTopic: topic("stall-dlq"), maxDeliveryAttempts: 5 },
        ...(retryPolicy ? { retryPolicy } : {}),
      });
    }
    const total = 300;
    await publish("stall-topic", Array.from({ length: total }, (_, i) => ({ data: `m${i}` })));
    const ackedOn = (name: string) => [...acked].filter((k) => k.startsWith(`/${name} `)).length;
    // Generous for a loaded machine: unloaded, all 300 are acked within ~10 s.
    const deadline = Date.now() + 90_000;
    while (ackedOn("without-policy") < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(ackedOn("without-policy")).toBe(total);
    // Give the retry policy more than its maximum backoff past the point the other subscription finished.
    await new Promise((r) => setTimeout(r, 15_000));
    const stranded = [...deliveries.keys()].filter((k) => k.startsWith("/with-policy ") && !acked.has(k));
    expect(stranded.length).toBeGreaterThan(0);
    // Stranded, not slow: none was redelivered for longer than the maximum backoff (10 s).
    const now = Date.now();
    for (const k of stranded) expect(now - lastDeliveryAt.get(k)!).toBeGreaterThan(12_000);
  } finally {
    await new Promise((r) => server.close(r));
  }
}, 180_000);

test("Protocol Buffer schemas are unimplemented", async () => {
  const code = await grpcCode(
    clients.schemas.createSchema({
      parent: `projects/${emulator.projectId}`,
      schemaId: "proto-probe",
      schema: { type: "PROTOCOL_BUFFER", definition: 'syntax = "proto3"; message M { string a = 1; }' },
    }),
  );
  expect(code).toBe(GRPC_UNIMPLEMENTED);
});

test("IAM is unimplemented", async () => {
  await clients.publisher.createTopic({ name: topic("iam-topic") });
  const pubsub = emulatorPubSub(emulator);
  try {
    const iam = pubsub.topic("iam-topic").iam;
    expect(await grpcCode(iam.getPolicy())).toBe(GRPC_UNIMPLEMENTED);
    expect(await grpcCode(iam.setPolicy({ bindings: [{ role: "roles/pubsub.publisher", members: ["allUsers"] }] }))).toBe(GRPC_UNIMPLEMENTED);
  } finally {
    await pubsub.close();
  }
});

test("Avro schemas (JSON encoding) are enforced at publish", async () => {
  const [schema] = await clients.schemas.createSchema({
    parent: `projects/${emulator.projectId}`,
    schemaId: "commerce-event",
    schema: { type: "AVRO", definition: JSON.stringify(commerceEventAvroSchema) },
  });
  await clients.publisher.createTopic({ name: topic("avro-topic"), schemaSettings: { schema: schema.name, encoding: "JSON" } });
  await clients.subscriber.createSubscription({ name: sub("avro-sub"), topic: topic("avro-topic") });

  const event = {
    event_id: "evt-1",
    event_type: "cart.item_added",
    occurred_at: "2026-01-01T10:00:00Z",
    user_id: "u1",
    session_id: null,
    store_id: "web-eu",
    channel: "web",
    sku: "SKU-1",
    quantity: 2,
    unit_price: null,
    currency: null,
    order_id: null,
    attributes: { campaign: "x" },
  };
  expect(await grpcCode(publish("avro-topic", [{ data: JSON.stringify(toAvroJson(commerceEventFields, event)) }]))).toBe("ok");
  // Plain JSON (nullable values not wrapped in their Avro branch), a missing field, and bytes that are not JSON.
  expect(await grpcCode(publish("avro-topic", [{ data: JSON.stringify(event) }]))).toBe(GRPC_INVALID_ARGUMENT);
  const { event_type: _dropped, ...missingField } = toAvroJson(commerceEventFields, event);
  expect(await grpcCode(publish("avro-topic", [{ data: JSON.stringify(missingField) }]))).toBe(GRPC_INVALID_ARGUMENT);
  expect(await grpcCode(publish("avro-topic", [{ data: "{not json" }]))).toBe(GRPC_INVALID_ARGUMENT);

  const got = await pullUpTo("avro-sub", 5, 3000);
  expect(got).toHaveLength(1);
  expect(JSON.parse(got[0].data).event_id).toBe("evt-1");
});

// `npm run replay -- --seek <ts>` (scripts/replay/seek.ts) and the runbook's seek procedure rely on these.
describe("seek", () => {
  async function ackedTwo(prefix: string, subOpts: { retainAckedMessages?: boolean } = {}) {
    await clients.publisher.createTopic({ name: topic(`${prefix}-topic`), messageRetentionDuration: { seconds: 3600 } });
    await clients.subscriber.createSubscription({ name: sub(`${prefix}-sub`), topic: topic(`${prefix}-topic`), ackDeadlineSeconds: 10, ...subOpts });
    const before = new Date(Date.now() - 1000);
    await publish(`${prefix}-topic`, [{ data: "a" }, { data: "b" }]);
    const got = await pullUpTo(`${prefix}-sub`, 2, 5000);
    expect(got.map((m) => m.data).sort()).toEqual(["a", "b"]);
    await clients.subscriber.acknowledge({ subscription: sub(`${prefix}-sub`), ackIds: got.map((m) => m.ackId) });
    expect(await pullUpTo(`${prefix}-sub`, 1, 1500)).toEqual([]);
    return before;
  }

  test("to a time redelivers acked messages the subscription retains", async () => {
    const before = await ackedTwo("seek-time-retained", { retainAckedMessages: true });
    await clients.subscriber.seek({ subscription: sub("seek-time-retained-sub"), time: { seconds: Math.floor(before.getTime() / 1000) } });
    expect((await pullUpTo("seek-time-retained-sub", 2, 5000)).map((m) => m.data).sort()).toEqual(["a", "b"]);
  });

  test("to a time on a subscription that does not retain acked messages (topic retention only)", async () => {
    const before = await ackedTwo("seek-time-topic");
    await clients.subscriber.seek({ subscription: sub("seek-time-topic-sub"), time: { seconds: Math.floor(before.getTime() / 1000) } });
    const again = (await pullUpTo("seek-time-topic-sub", 2, 3000)).map((m) => m.data).sort();
    expect({ redelivered: again }).toEqual({ redelivered: SEEK_TIME_WITH_TOPIC_RETENTION_ONLY });
  });

  test("to a snapshot redelivers what was unacked when the snapshot was taken", async () => {
    await clients.publisher.createTopic({ name: topic("seek-snap-topic") });
    await clients.subscriber.createSubscription({ name: sub("seek-snap-sub"), topic: topic("seek-snap-topic"), ackDeadlineSeconds: 10 });
    await publish("seek-snap-topic", [{ data: "a" }, { data: "b" }]);
    await clients.subscriber.createSnapshot({ name: `projects/${emulator.projectId}/snapshots/before-ack`, subscription: sub("seek-snap-sub") });
    const got = await pullUpTo("seek-snap-sub", 2, 5000);
    await clients.subscriber.acknowledge({ subscription: sub("seek-snap-sub"), ackIds: got.map((m) => m.ackId) });
    expect(await pullUpTo("seek-snap-sub", 1, 1500)).toEqual([]);
    await clients.subscriber.seek({ subscription: sub("seek-snap-sub"), snapshot: `projects/${emulator.projectId}/snapshots/before-ack` });
    expect((await pullUpTo("seek-snap-sub", 2, 5000)).map((m) => m.data).sort()).toEqual(["a", "b"]);
  });
});
