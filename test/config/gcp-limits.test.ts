import { Testing, TerraformStack } from "cdktf";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig, parseConfig, RAW_CONFIGS } from "../../config";
import { MAX_DELIVERY_ATTEMPTS, TOPIC_RETENTION_S, type Limit } from "../../config/gcp-limits";
import { DeadLetteredSubscription } from "../../stacks/constructs/dead-lettered-subscription";
import { PubsubServiceAgent } from "../../stacks/constructs/pubsub-service-agent";
import { StreamingTopic } from "../../stacks/constructs/streaming-topic";
import { cleanUpOutdirs, smallPipeline, violatedRuleIds } from "../stacks/guardrails/small-pipeline";

// One limit, three checks: config validation, the construct and the guardrail must draw the same line.
const labels = { team: "t", cost_center: "c", env: "dev" };
let outdir: string;
beforeAll(() => (outdir = mkdtempSync(join(tmpdir(), "streamline-gcp-limits-test-"))));
afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
  cleanUpOutdirs();
});

const edges = (limit: Limit) => [limit.min - 1, limit.min, limit.max, limit.max + 1].map((v) => [v, v >= limit.min && v <= limit.max] as const);

function configAccepts(patch: (c: (typeof RAW_CONFIGS)["dev"]) => void): boolean {
  const copy = structuredClone(RAW_CONFIGS.dev);
  patch(copy);
  try {
    parseConfig("dev", copy);
    return true;
  } catch (e) {
    if (e instanceof ConfigError) return false;
    throw e;
  }
}

function constructAccepts(build: (stack: TerraformStack) => void): boolean {
  try {
    build(new TerraformStack(Testing.app({ outdir }), "s"));
    return true;
  } catch {
    return false;
  }
}

test.each(edges(TOPIC_RETENTION_S))("topic retention %ss: accepted by all three checks = %s", (seconds, within) => {
  const retention = `${seconds}s`;
  expect({
    config: configAccepts((c) => void (c.pubsub.topics["commerce-events"].messageRetention = retention)),
    construct: constructAccepts((stack) => new StreamingTopic(stack, "t", { name: "events", messageRetention: retention, allowedPersistenceRegions: ["europe-west1"], labels })),
    guardrail: !violatedRuleIds(smallPipeline("prod", { topic: { messageRetentionDuration: retention } })).includes("PS-001"),
  }).toEqual({ config: within, construct: within, guardrail: within });
});

test.each(edges(MAX_DELIVERY_ATTEMPTS))("%s delivery attempts: accepted by all three checks = %s", (attempts, within) => {
  const settings = { ...loadConfig("dev").pubsub.subscriptions.enrichment, maxDeliveryAttempts: attempts };
  expect({
    config: configAccepts((c) => void (c.pubsub.subscriptions.enrichment.maxDeliveryAttempts = attempts)),
    construct: constructAccepts((stack) => {
      const topic = new StreamingTopic(stack, "t", { name: "events", messageRetention: "86400s", allowedPersistenceRegions: ["europe-west1"], labels });
      new DeadLetteredSubscription(stack, "sub", {
        name: "enrichment",
        topic,
        settings,
        delivery: { kind: "pull" },
        deadLetterTopic: { name: "events-dlq", messageRetention: "604800s" },
        allowedPersistenceRegions: ["europe-west1"],
        serviceAgent: new PubsubServiceAgent(stack, "agent", { project: "p-test1" }),
        labels,
      });
    }),
    guardrail: !violatedRuleIds(
      smallPipeline("prod", { subscription: { deadLetterPolicy: { deadLetterTopic: "projects/streamline-test/topics/events-dlq", maxDeliveryAttempts: attempts } } }),
    ).includes("PS-004"),
  }).toEqual({ config: within, construct: within, guardrail: within });
});
