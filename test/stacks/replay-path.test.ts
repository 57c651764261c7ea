import { ENVIRONMENTS, type Environment } from "../../config";
import { REPLAY_DLQ_TOPIC, REPLAY_SUBSCRIPTION, REPLAY_TOPIC } from "../../contracts/replay";
import { refTo, resourceWhere, synthAllEnvironments, type SynthesizedStack } from "./synth-pipeline";

let stacks: Record<Environment, SynthesizedStack>;
let cleanup: () => void;
beforeAll(() => ({ stacks, cleanup } = synthAllEnvironments()));
afterAll(() => cleanup());

const subscription = (s: SynthesizedStack, name: string) => resourceWhere(s, "google_pubsub_subscription", "name", name);

describe.each(ENVIRONMENTS)("replay path in %s", (env) => {
  test("commerce-events-replay keeps messages as long as commerce-events and feeds only the replay subscription", () => {
    const s = stacks[env];
    const topic = resourceWhere(s, "google_pubsub_topic", "name", REPLAY_TOPIC);
    expect(topic.message_retention_duration).toBe(s.config.pubsub.topics["commerce-events"].messageRetention);
    const readers = Object.values(s.tf.resource.google_pubsub_subscription).filter((b) => b.topic === refTo(s, "google_pubsub_topic", "name", REPLAY_TOPIC, "id"));
    expect(readers.map((b) => b.name)).toEqual([REPLAY_SUBSCRIPTION]);
  });

  test("the replay subscription pushes to the same enrichment function as the live one, with its own dead-letter policy", () => {
    const s = stacks[env];
    const live = subscription(s, "enrichment");
    const replay = subscription(s, REPLAY_SUBSCRIPTION);
    expect(replay.push_config).toEqual(live.push_config);
    expect(replay.retry_policy).toEqual(live.retry_policy);
    expect(replay.dead_letter_policy).toEqual({
      dead_letter_topic: refTo(s, "google_pubsub_topic", "name", REPLAY_DLQ_TOPIC, "id"),
      max_delivery_attempts: s.config.pubsub.subscriptions.enrichment.maxDeliveryAttempts,
    });
  });

  test("replay dead letters land in ops.dead_letters like live ones", () => {
    const s = stacks[env];
    const live = subscription(s, "dead-letters");
    const replay = subscription(s, "replay-dead-letters");
    expect(replay.topic).toBe(refTo(s, "google_pubsub_topic", "name", REPLAY_DLQ_TOPIC, "id"));
    expect(replay.bigquery_config).toEqual(live.bigquery_config);
    expect((live.bigquery_config as { table: string }).table).toMatch(/\.ops\.dead_letters$/);
  });
});
