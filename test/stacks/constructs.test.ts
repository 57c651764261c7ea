import { Testing, TerraformStack } from "cdktf";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../config";
import { refProducts, rawCommerceEvents } from "../../contracts/tables";
import { CloudFunction } from "../../stacks/constructs/cloud-function";
import { Dataset } from "../../stacks/constructs/dataset";
import { DeadLetteredSubscription } from "../../stacks/constructs/dead-lettered-subscription";
import { FunctionSourceBucket } from "../../stacks/constructs/function-source-bucket";
import { NightlySchedule } from "../../stacks/constructs/nightly-schedule";
import { PartitionedTable } from "../../stacks/constructs/partitioned-table";
import { PubsubServiceAgent } from "../../stacks/constructs/pubsub-service-agent";
import { StreamingTopic } from "../../stacks/constructs/streaming-topic";
import { FIXTURE_BUNDLES } from "./synth-pipeline";

// Each construct rejects impossible props when built, naming its construct path.
const config = loadConfig("dev");
const labels = { team: "t", cost_center: "c", env: "dev" };
let outdir: string;
let stack: TerraformStack;
beforeAll(() => (outdir = mkdtempSync(join(tmpdir(), "streamline-constructs-test-"))));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));
beforeEach(() => (stack = new TerraformStack(Testing.app({ outdir }), "s")));

const topicProps = { name: "commerce-events", messageRetention: "86400s", allowedPersistenceRegions: ["europe-west1"], labels };
const topic = () => new StreamingTopic(stack, "topic", topicProps);
const dataset = (datasetId: string) =>
  new Dataset(stack, `ds-${datasetId}`, { project: "p-test1", datasetId, location: "EU", description: "d", defaultPartitionExpirationDays: null, labels });
const subscriptionProps = () => ({
  name: "enrichment",
  topic: topic(),
  settings: config.pubsub.subscriptions.enrichment,
  delivery: { kind: "pull" } as const,
  deadLetterTopic: { name: "commerce-events-dlq", messageRetention: "604800s" },
  allowedPersistenceRegions: ["europe-west1"],
  serviceAgent: new PubsubServiceAgent(stack, "agent", { project: "p-test1" }),
  labels,
});

test.each([
  ["a retention in days", { messageRetention: "7 days" }, /s\/bad: messageRetention "7 days" must be a duration/],
  ["a retention over 31 days", { messageRetention: "2678401s" }, /s\/bad: messageRetention/],
  ["a 2-character name", { name: "ab" }, /s\/bad: topic name "ab"/],
  ["no storage region", { allowedPersistenceRegions: [] }, /s\/bad: allowedPersistenceRegions/],
])("StreamingTopic rejects %s", (_what, override, message) => {
  expect(() => new StreamingTopic(stack, "bad", { ...topicProps, ...override })).toThrow(message);
});

test.each([
  ["4 delivery attempts", (p: ReturnType<typeof subscriptionProps>) => ({ ...p, settings: { ...p.settings, maxDeliveryAttempts: 4 } }), /s\/bad: maxDeliveryAttempts 4/],
  ["an ack deadline of 601s", (p: ReturnType<typeof subscriptionProps>) => ({ ...p, settings: { ...p.settings, ackDeadlineSeconds: 601 } }), /s\/bad: ackDeadlineSeconds 601/],
  ["its source topic as DLQ", (p: ReturnType<typeof subscriptionProps>) => ({ ...p, deadLetterTopic: { name: "commerce-events", messageRetention: "604800s" } }), /s\/bad: the dead-letter topic must differ/],
  ["exactly-once on push", (p: ReturnType<typeof subscriptionProps>) => ({ ...p, enableExactlyOnceDelivery: true, delivery: { kind: "push" as const, endpoint: "https://x", invokerEmail: "i@x" } }), /s\/bad: exactly-once/],
])("DeadLetteredSubscription rejects %s", (_what, tweak, message) => {
  expect(() => new DeadLetteredSubscription(stack, "bad", tweak(subscriptionProps()))).toThrow(message);
});

test("DeadLetteredSubscription passes optional filter, ordering and exactly-once through", () => {
  new DeadLetteredSubscription(stack, "sub", { ...subscriptionProps(), filter: 'attributes.channel = "web"', enableMessageOrdering: true, enableExactlyOnceDelivery: true });
  const sub = Object.values(JSON.parse(Testing.synth(stack)).resource.google_pubsub_subscription as Record<string, Record<string, unknown>>).find((s) => s.name === "enrichment");
  expect(sub).toMatchObject({ filter: 'attributes.channel = "web"', enable_message_ordering: true, enable_exactly_once_delivery: true });
});

test.each([
  ["five clustering keys", { ...rawCommerceEvents, clustering: ["message_id", "data", "attributes", "publish_time", "subscription_name"] }, /s\/bad: at most 4 clustering keys/],
  ["an unknown clustering key", { ...rawCommerceEvents, clustering: ["nope"] }, /s\/bad: clustering keys not in the schema: nope/],
  ["a non-date partition column", { ...rawCommerceEvents, partition: { field: "message_id", granularity: "DAY" } }, /s\/bad: partition column "message_id" must be a DATE or TIMESTAMP/],
  ["an unpartitioned non-ref table", { ...rawCommerceEvents, partition: null }, /s\/bad: only ref tables may be unpartitioned/],
])("PartitionedTable rejects %s", (_what, contract, message) => {
  expect(
    () => new PartitionedTable(stack, "bad", { dataset: dataset("raw"), contract: contract as typeof rawCommerceEvents, partitionExpirationDays: 7, deletionProtection: false, labels }),
  ).toThrow(message);
});

test("PartitionedTable rejects a dataset other than the contract's", () => {
  expect(() => new PartitionedTable(stack, "bad", { dataset: dataset("raw"), contract: refProducts, partitionExpirationDays: null, deletionProtection: false, labels })).toThrow(
    /s\/bad: contract dataset "ref" differs from dataset "raw"/,
  );
});

const functionProps = () => ({
  name: "enrichment",
  description: "d",
  project: "p-test1",
  region: "europe-west1",
  sourceArchive: join(FIXTURE_BUNDLES, "enrichment.zip"),
  sourceBucket: new FunctionSourceBucket(stack, "bucket", { name: "p-test1-function-sources", location: "europe-west1", deletionProtection: false, labels }),
  settings: config.functions.enrichment,
  environment: {},
  labels,
});

test("CloudFunction says how to build a missing archive", () => {
  expect(() => new CloudFunction(stack, "bad", { ...functionProps(), sourceArchive: join(FIXTURE_BUNDLES, "missing.zip") })).toThrow(
    /s\/bad: no function archive at .*missing\.zip: run `npm run build:functions` first/,
  );
});

test("CloudFunction rejects min instances above max", () => {
  const p = functionProps();
  expect(() => new CloudFunction(stack, "bad", { ...p, settings: { ...p.settings, minInstances: 3, maxInstances: 2 } })).toThrow(/s\/bad: minInstances 3 exceeds maxInstances 2/);
});

test.each([
  ["a timeout of 0 s", 0],
  ["a timeout of 3601 s", 3601],
  ["a fractional timeout", 60.5],
])("CloudFunction rejects %s (GCP allows whole seconds 1-3600)", (_what, timeoutSeconds) => {
  const p = functionProps();
  expect(() => new CloudFunction(stack, "bad", { ...p, settings: { ...p.settings, timeoutSeconds } })).toThrow(`s/bad: timeoutSeconds ${timeoutSeconds} must be an integer 1-3600`);
});

test("NightlySchedule rejects more than 5 retries (Cloud Scheduler's limit)", () => {
  const schedule = { ...config.reconciliation.schedule, retry: { ...config.reconciliation.schedule.retry, retryCount: 6 } };
  expect(() => new NightlySchedule(stack, "bad", { name: "n", description: "d", region: "europe-west1", schedule, topic: topic(), message: {} })).toThrow(
    "s/bad: retryCount 6 must be an integer 0-5",
  );
});

test("NightlySchedule rejects a 6-field cron", () => {
  const schedule = { ...config.reconciliation.schedule, cron: "0 30 2 * * *" };
  expect(() => new NightlySchedule(stack, "bad", { name: "n", description: "d", region: "europe-west1", schedule, topic: topic(), message: {} })).toThrow(
    /s\/bad: cron "0 30 2 \* \* \*" must have 5 fields/,
  );
});
