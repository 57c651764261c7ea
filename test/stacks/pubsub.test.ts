import { PubsubSchema } from "@cdktf/provider-google/lib/pubsub-schema";
import { PubsubSubscription } from "@cdktf/provider-google/lib/pubsub-subscription";
import { PubsubTopic } from "@cdktf/provider-google/lib/pubsub-topic";
import { durationSeconds, ENVIRONMENTS, type Environment } from "../../config";
import { commerceEventAvroSchema } from "../../contracts/schemas";
import { refTo, resourcesOf, resourceWhere, synthAllEnvironments, type SynthesizedStack } from "./synth-pipeline";

let stacks: Record<Environment, SynthesizedStack>;
let cleanup: () => void;
beforeAll(() => ({ stacks, cleanup } = synthAllEnvironments()));
afterAll(() => cleanup());

const SOURCE_TOPICS = ["commerce-events", "reconcile-requests", "reconciliation-alerts"] as const;
// Each subscription we own and the DLQ topic it dead-letters to.
const DEAD_LETTERED = {
  enrichment: "commerce-events-dlq",
  reconciliation: "reconcile-requests-dlq",
  "raw-mirror": "raw-mirror-dlq",
  "dead-letters": "dead-letters-dlq",
} as const;
const topic = (s: SynthesizedStack, name: string) => resourceWhere(s, "google_pubsub_topic", "name", name);
const subscription = (s: SynthesizedStack, name: string) => resourceWhere(s, "google_pubsub_subscription", "name", name);

describe.each(ENVIRONMENTS)("pub/sub in %s", (env) => {
  test("every topic's retention comes from config", () => {
    const s = stacks[env];
    for (const name of [...SOURCE_TOPICS, "commerce-events-dlq", "reconcile-requests-dlq"] as const) {
      expect(topic(s, name).message_retention_duration).toBe(s.config.pubsub.topics[name].messageRetention);
    }
    for (const t of resourcesOf(s, "google_pubsub_topic")) {
      expect(t.message_retention_duration).toMatch(/^\d+s$/);
      expect(t.message_storage_policy).toEqual({ allowed_persistence_regions: s.config.pubsub.allowedPersistenceRegions });
    }
  });

  test("commerce-events enforces the contract's Avro schema with JSON encoding", () => {
    const s = stacks[env];
    expect(s.json).toHaveResourceWithProperties(PubsubSchema, { name: "commerce-event", type: "AVRO", definition: JSON.stringify(commerceEventAvroSchema) });
    expect(topic(s, "commerce-events").schema_settings).toEqual({
      schema: refTo(s, "google_pubsub_schema", "name", "commerce-event", "id"),
      encoding: "JSON",
    });
    expect(topic(s, "reconcile-requests").schema_settings).toBeUndefined();
  });

  test.each(Object.entries(DEAD_LETTERED))("subscription %s dead-letters to %s, which has its own retained subscription", (sub, dlq) => {
    const s = stacks[env];
    const body = subscription(s, sub);
    const settings = s.config.pubsub.subscriptions[sub === "dead-letters" ? "raw-mirror" : (sub as keyof typeof s.config.pubsub.subscriptions)];
    expect(body.dead_letter_policy).toEqual({
      dead_letter_topic: refTo(s, "google_pubsub_topic", "name", dlq, "id"),
      max_delivery_attempts: settings.maxDeliveryAttempts,
    });
    expect(body.retry_policy).toEqual({ minimum_backoff: settings.retryBackoff.minimum, maximum_backoff: settings.retryBackoff.maximum });
    expect(body.ack_deadline_seconds).toBe(settings.ackDeadlineSeconds);
    expect(body.expiration_policy).toEqual({ ttl: settings.expirationTtl ?? "" });

    const dlqSub = subscription(s, `${dlq}-sub`);
    expect(dlqSub.topic).toBe(refTo(s, "google_pubsub_topic", "name", dlq, "id"));
    expect(dlqSub.message_retention_duration).toBe(settings.messageRetention);
    expect(dlqSub.dead_letter_policy).toBeUndefined();
    expect(topic(s, dlq).message_retention_duration).toMatch(/^\d+s$/);
  });

  test("the Pub/Sub service agent may publish to every DLQ topic and consume every source subscription", () => {
    const s = stacks[env];
    const agent = "serviceAccount:service-${data.google_project." + Object.keys(s.tf.data.google_project)[0] + ".number}@gcp-sa-pubsub.iam.gserviceaccount.com";
    const topicGrants = resourcesOf(s, "google_pubsub_topic_iam_member");
    const subGrants = resourcesOf(s, "google_pubsub_subscription_iam_member");
    for (const [sub, dlq] of Object.entries(DEAD_LETTERED)) {
      expect(topicGrants).toContainEqual(
        expect.objectContaining({ topic: refTo(s, "google_pubsub_topic", "name", dlq, "name"), role: "roles/pubsub.publisher", member: agent }),
      );
      expect(subGrants).toContainEqual(
        expect.objectContaining({ subscription: refTo(s, "google_pubsub_subscription", "name", sub, "name"), role: "roles/pubsub.subscriber", member: agent }),
      );
    }
  });

  test("every topic has a subscription, so nothing published is dropped (alerts excepted: consumers subscribe out of band)", () => {
    const s = stacks[env];
    const subscribed = new Set(resourcesOf(s, "google_pubsub_subscription").map((b) => b.topic));
    for (const t of resourcesOf(s, "google_pubsub_topic").filter((b) => b.name !== "reconciliation-alerts")) {
      expect(subscribed).toContain(refTo(s, "google_pubsub_topic", "name", t.name, "id"));
    }
  });

  test.each([
    ["enrichment", "commerce-events"],
    ["reconciliation", "reconcile-requests"],
  ])("%s is a push subscription on %s to its function's URL with an OIDC token of the invoker", (fn, source) => {
    const s = stacks[env];
    const url = refTo(s, "google_cloudfunctions2_function", "name", fn, "url");
    const invoker = refTo(s, "google_service_account", "account_id", "pubsub-push-invoker", "email");
    expect(s.json).toHaveResourceWithProperties(PubsubSubscription, {
      name: fn,
      topic: refTo(s, "google_pubsub_topic", "name", source, "id"),
      push_config: { push_endpoint: url, oidc_token: { service_account_email: invoker, audience: url } },
    });
  });

  test("the push ack deadline covers the function timeout", () => {
    const s = stacks[env];
    for (const fn of ["enrichment", "reconciliation"] as const) {
      expect(subscription(s, fn).ack_deadline_seconds).toBeGreaterThanOrEqual(s.config.functions[fn].timeoutSeconds);
    }
  });

  test("labels (config labels + env) are on every topic and subscription", () => {
    const s = stacks[env];
    const labels = { ...s.config.labels, env };
    for (const type of ["google_pubsub_topic", "google_pubsub_subscription"]) {
      for (const r of resourcesOf(s, type)) expect(r.labels).toEqual(labels);
    }
    expect(s.json).toHaveResourceWithProperties(PubsubTopic, { name: "commerce-events", labels });
  });
});

test("retention grows from dev to prod on every configured topic", () => {
  for (const name of SOURCE_TOPICS) {
    const seconds = (env: Environment) => durationSeconds(topic(stacks[env], name).message_retention_duration as string);
    expect(seconds("prod")).toBeGreaterThan(seconds("dev"));
    expect(seconds("staging")).toBeGreaterThanOrEqual(seconds("dev"));
  }
});

test("dev subscriptions expire when idle; staging and prod never expire", () => {
  for (const body of resourcesOf(stacks.dev, "google_pubsub_subscription")) expect(body.expiration_policy).toEqual({ ttl: "2678400s" });
  for (const env of ["staging", "prod"] as const) {
    for (const body of resourcesOf(stacks[env], "google_pubsub_subscription")) expect(body.expiration_policy).toEqual({ ttl: "" });
  }
});
