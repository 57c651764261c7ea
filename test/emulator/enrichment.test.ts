import { PubSub, type Message, type Subscription } from "@google-cloud/pubsub";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commerceEventFields, toAvroJson } from "../../contracts";
import { ENRICHMENT_ENV_VARS as V } from "../../contracts/function-env";
import type { RecordedInsert } from "../../local/warehouse/recording-warehouse";
import { RECORDING_ENV_VARS as R } from "../../local/functions/recording-env";
import { startFunctionProcess, type FunctionProcess } from "../../local/processes/function-process";
import { provisionEmulator, type ProvisionResult } from "../../local/emulator/provision-emulator";
import { startPubSubEmulator, type PubSubEmulator } from "../../local/emulator/pubsub-emulator";
import { REFERENCE_TABLES, orderPlaced } from "../../fixtures/commerce-events";
import { synthDevStack } from "../../fixtures/dev-stack";

jest.setTimeout(90_000);

const TRANSIENT_ONCE = "evt-transient-once";
const TRANSIENT_FOREVER = "evt-transient-forever";

let emulator: PubSubEmulator;
let fn: FunctionProcess;
let pubsub: PubSub;
let provisioned: ProvisionResult;
let dlqSub: Subscription;
let work: string;
const deadLetters: Message[] = [];

const rowsFile = () => join(work, "rows.jsonl");
function recordedRows(): RecordedInsert[] {
  return existsSync(rowsFile()) ? readFileSync(rowsFile(), "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as RecordedInsert) : [];
}

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; function output:\n${fn?.process.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const publishEvent = (event: Record<string, unknown>) =>
  pubsub.topic("commerce-events").publishMessage({ data: Buffer.from(JSON.stringify(toAvroJson(commerceEventFields, event))), attributes: { publisher: "test" } });

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "enrichment-emulator-"));
  writeFileSync(join(work, "tables.json"), JSON.stringify(REFERENCE_TABLES));
  emulator = await startPubSubEmulator();
  try {
    fn = await startFunctionProcess({
      module: "local/functions/recording-enrichment-entry.ts",
      target: "enrichment",
      env: {
        PUBSUB_EMULATOR_HOST: emulator.host,
        [V.environment]: "dev",
        [V.projectId]: emulator.projectId,
        [V.deadLetterTopic]: "commerce-events-dlq",
        [V.pipelineVersion]: "emulator-test",
        [R.file]: rowsFile(),
        [R.tables]: join(work, "tables.json"),
        [R.transientFailures]: JSON.stringify({ [TRANSIENT_ONCE]: 1, [TRANSIENT_FOREVER]: 1_000_000 }),
      },
    });
    // The dev stack's own topics and subscriptions; only the backoff is shortened so that
    // maxDeliveryAttempts is reached in seconds (the emulator honours the 10 s minimum otherwise).
    provisioned = await provisionEmulator(synthDevStack(), {
      projectId: emulator.projectId,
      emulatorHost: emulator.host,
      pushEndpoints: { enrichment: fn.url },
      retryBackoffOverride: { minimumSeconds: 0, maximumSeconds: 1 },
    });
    pubsub = new PubSub({ projectId: emulator.projectId, apiEndpoint: emulator.host, emulatorMode: true });
    dlqSub = pubsub.subscription("commerce-events-dlq-sub");
    dlqSub.on("message", (m: Message) => {
      deadLetters.push(m);
      m.ack();
    });
  } catch (e) {
    await fn?.stop();
    await emulator.stop();
    throw e;
  }
});

afterAll(async () => {
  await dlqSub?.close();
  await pubsub?.close();
  await fn?.stop();
  await emulator?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe("enrichment on the Pub/Sub emulator, provisioned from the dev stack", () => {
  it("provisions the push subscription with the dev stack's dead-letter policy and the DLQ subscription", () => {
    const enrichment = provisioned.subscriptions.find((s) => s.name === "enrichment");
    expect(enrichment).toMatchObject({ topic: "commerce-events", delivery: "push", pushEndpoint: fn.url, deadLetterTopic: "commerce-events-dlq", maxDeliveryAttempts: 5 });
    expect(provisioned.subscriptions.find((s) => s.name === "commerce-events-dlq-sub")).toMatchObject({ topic: "commerce-events-dlq", delivery: "pull" });
    // Both DLQs (live and replay) land in ops.dead_letters; the mirror in raw.commerce_events.
    expect(provisioned.bridged.map((b) => b.subscription).sort()).toEqual(["dead-letters", "raw-mirror", "replay-dead-letters"]);
  });

  it("rejects malformed bytes at publish on the schema'd topic", async () => {
    await expect(pubsub.topic("commerce-events").publishMessage({ data: Buffer.from("{not json") })).rejects.toThrow();
  });

  it("writes valid events once, dead-letters poison with reasons, survives a transient failure, and forwards a hopeless one after maxDeliveryAttempts", async () => {
    const valid = ["evt-a", "evt-b", "evt-c", TRANSIENT_ONCE].map((id, i) => orderPlaced({ event_id: id, order_id: `o-${i}` }));
    for (const e of valid) await publishEvent(e);
    await publishEvent(valid[0]); // a publisher retry: same event_id, new message
    const badEnum = await publishEvent({ ...orderPlaced({ event_id: "evt-bad-enum" }), channel: "fax" });
    const noOrderId = await publishEvent(orderPlaced({ event_id: "evt-no-order", order_id: null }));
    const forever = await publishEvent(orderPlaced({ event_id: TRANSIENT_FOREVER }));

    // Malformed bytes cannot be published to the schema'd topic, but can reach the URL directly.
    const malformed = Buffer.from("{definitely not json");
    const res = await fetch(fn.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: { data: malformed.toString("base64"), messageId: "raw-1", attributes: { via: "http" } }, subscription: "projects/p/subscriptions/enrichment" }),
    });
    expect(res.status).toBe(200);

    const byReason = (reason: string) => deadLetters.find((m) => m.attributes.reason === reason);
    await until("three poison dead letters", () => byReason("schema_violation") && byReason("missing_required_field") && byReason("malformed_json"));
    expect(byReason("schema_violation")!.attributes).toMatchObject({ source_message_id: badEnum, source_subscription: "projects/streamline-local/subscriptions/enrichment", stage: "validate", error_class: "poison", publisher: "test" });
    expect(byReason("schema_violation")!.attributes.error_detail).toContain("channel");
    expect(byReason("missing_required_field")!.attributes).toMatchObject({ source_message_id: noOrderId });
    expect(byReason("missing_required_field")!.attributes.error_detail).toContain("order_id");
    expect(byReason("malformed_json")!.attributes).toMatchObject({ source_message_id: "raw-1", stage: "decode", via: "http" });
    expect(byReason("malformed_json")!.data.equals(malformed)).toBe(true);

    const rows = await until("every valid event written", () => {
      const r = recordedRows();
      return valid.every((e) => r.some((x) => x.insertId === e.event_id)) && r;
    });
    const dedup = new Map(rows.map((r) => [r.insertId, r.row]));
    expect([...dedup.keys()].sort()).toEqual(valid.map((e) => e.event_id).sort());
    for (const e of valid) expect(dedup.get(e.event_id)).toMatchObject({ order_id: e.order_id, enrichment_status: "complete", source: "stream" });
    expect(fn.process.output()).toMatch(/"event":"transient_failure"/);

    const forwarded = await until("the hopeless message on the DLQ after max attempts", () => deadLetters.find((m) => m.attributes.CloudPubSubDeadLetterSourceDeliveryCount !== undefined));
    expect(forwarded.id).not.toBe(forever);
    expect(forwarded.attributes).toMatchObject({ CloudPubSubDeadLetterSourceDeliveryCount: "5", CloudPubSubDeadLetterSourceSubscription: "enrichment" });
    expect(JSON.parse(forwarded.data.toString()).event_id).toBe(TRANSIENT_FOREVER);
    expect(recordedRows().some((r) => r.insertId === TRANSIENT_FOREVER)).toBe(false);
  });
});
