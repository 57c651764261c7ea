import { DataGoogleIamPolicy } from "@cdktf/provider-google/lib/data-google-iam-policy";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { PubsubSubscriptionIamMember } from "@cdktf/provider-google/lib/pubsub-subscription-iam-member";
import { PubsubTopicIamPolicy } from "@cdktf/provider-google/lib/pubsub-topic-iam-policy";
import { BigqueryDataset } from "@cdktf/provider-google/lib/bigquery-dataset";
import { PubsubTopic } from "@cdktf/provider-google/lib/pubsub-topic";
import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket";
import { Cloudfunctions2FunctionIamMember } from "@cdktf/provider-google/lib/cloudfunctions2-function-iam-member";
import { BigqueryDatasetAccessA } from "@cdktf/provider-google/lib/bigquery-dataset-access";
import { DataGoogleSecretManagerSecretVersion } from "@cdktf/provider-google/lib/data-google-secret-manager-secret-version";
import { MonitoringNotificationChannel } from "@cdktf/provider-google/lib/monitoring-notification-channel";
import { Testing } from "cdktf";
import { ENVIRONMENTS, type Environment } from "../../../config";
import { RULES } from "../../../stacks/guardrails";
import { cleanUpOutdirs, judge, PUBSUB_AGENT, smallPipeline, violatedRuleIds, type SmallPipeline } from "./small-pipeline";

afterAll(cleanUpOutdirs);

const KEY = "projects/p/locations/europe/keyRings/r/cryptoKeys/k";
const DLQ_TOPIC = "projects/streamline-test/topics/events-dlq";

/** A small pipeline of the environment with `change` applied: one more resource, or one reset. */
const pipelineWith = (environment: Environment, change: (p: SmallPipeline) => unknown) => (): SmallPipeline => {
  const p = smallPipeline(environment);
  change(p);
  return p;
};

/** [rule, what breaks it, the stack that breaks only that rule]. */
const violating: [string, string, () => SmallPipeline][] = [
  ["PS-001", "topic without retention", () => smallPipeline("prod", { topic: { messageRetentionDuration: undefined } })],
  ["PS-001", "topic retention above 31 days", () => smallPipeline("prod", { topic: { messageRetentionDuration: "2764800s" } })],
  ["PS-001", "topic retention below 10 minutes", () => smallPipeline("prod", { topic: { messageRetentionDuration: "300s" } })],
  ["PS-002", "push subscription without retry policy", () => smallPipeline("prod", { subscription: { retryPolicy: undefined } })],
  [
    "PS-002",
    "pull subscription on a normal topic without dead-letter policy",
    pipelineWith("dev", (p) => {
      p.subscription.resetPushConfig();
      p.subscription.resetDeadLetterPolicy();
      p.subscription.resetAckDeadlineSeconds();
    }),
  ],
  ["PS-003", "DLQ topic without subscription", () => smallPipeline("prod", { omitDlqSubscription: true })],
  ["PS-004", "max delivery attempts above 100", () => smallPipeline("prod", { subscription: { deadLetterPolicy: { deadLetterTopic: DLQ_TOPIC, maxDeliveryAttempts: 101 } } })],
  ["PS-004", "max delivery attempts below 5", () => smallPipeline("prod", { subscription: { deadLetterPolicy: { deadLetterTopic: DLQ_TOPIC, maxDeliveryAttempts: 4 } } })],
  ["PS-004", "push ack deadline shorter than the function timeout", () => smallPipeline("prod", { subscription: { ackDeadlineSeconds: 30 } })],
  ["PS-005", "prod subscription without expiration policy", () => smallPipeline("prod", { subscription: { expirationPolicy: undefined } })],
  ["PS-005", "staging subscription that expires", () => smallPipeline("staging", { dlqSubscription: { expirationPolicy: { ttl: "2678400s" } } })],
  [
    "PS-006",
    "public subscriber on a subscription",
    pipelineWith("prod", (p) => new PubsubSubscriptionIamMember(p.stack, "public", { subscription: p.subscription.name, role: "roles/pubsub.subscriber", member: "allUsers" })),
  ],
  ["PS-007", "no publisher grant for the service agent on the DLQ topic", () => smallPipeline("prod", { omitAgentGrants: { publisher: true } })],
  ["PS-007", "no subscriber grant for the service agent on the subscription", () => smallPipeline("prod", { omitAgentGrants: { subscriber: true } })],
  // A raw table the contracts do not mark large, so BQ-004 (partition filter) stays out of it.
  ["BQ-001", "raw table without partitioning", () => smallPipeline("dev", { rawTable: { tableId: "scratch", timePartitioning: undefined, requirePartitionFilter: undefined }, rawDataset: { defaultPartitionExpirationMs: 86_400_000 } })],
  ["BQ-002", "raw table without clustering", () => smallPipeline("prod", { rawTable: { clustering: undefined } })],
  ["BQ-002", "ref table with 5 clustering keys", () => smallPipeline("prod", { refTable: { clustering: ["a", "b", "c", "d", "e"] } })],
  ["BQ-003", "raw table without partition expiration", () => smallPipeline("prod", { rawTable: { timePartitioning: { type: "DAY", field: "publish_time" } } })],
  ["BQ-004", "large raw table without require_partition_filter", () => smallPipeline("prod", { rawTable: { requirePartitionFilter: false } })],
  ["BQ-005", "prod table without deletion protection", () => smallPipeline("prod", { rawTable: { deletionProtection: false } })],
  ["BQ-005", "prod dataset deletes contents on destroy", () => smallPipeline("prod", { rawDataset: { deleteContentsOnDestroy: true } })],
  [
    "IAM-001",
    "project-level editor",
    pipelineWith("prod", (p) => new ProjectIamMember(p.stack, "editor", { project: "streamline-test", role: "roles/editor", member: `serviceAccount:${p.serviceAccount.email}` })),
  ],
  [
    "IAM-001",
    "owner inside an iam_policy document",
    pipelineWith("prod", (p) => {
      const doc = new DataGoogleIamPolicy(p.stack, "doc", { binding: [{ role: "roles/owner", members: ["group:ops@example.com"] }] });
      new PubsubTopicIamPolicy(p.stack, "topic-policy", { topic: "events", policyData: doc.policyData });
    }),
  ],
  [
    "IAM-002",
    "public function invoker",
    pipelineWith("prod", (p) => new Cloudfunctions2FunctionIamMember(p.stack, "public-invoker", { cloudFunction: p.fn.name, role: "roles/cloudfunctions.invoker", member: "allUsers" })),
  ],
  [
    "IAM-002",
    "dataset shared with allAuthenticatedUsers",
    pipelineWith("prod", (p) => new BigqueryDatasetAccessA(p.stack, "public-access", { datasetId: "raw", role: "roles/bigquery.dataViewer", specialGroup: "allAuthenticatedUsers" })),
  ],
  ["FN-001", "function without its own service account", () => smallPipeline("prod", { fnService: { serviceAccountEmail: undefined } })],
  ["FN-001", "function as the default compute account", () => smallPipeline("prod", { fnService: { serviceAccountEmail: "123-compute@developer.gserviceaccount.com" } })],
  ["FN-002", "function open to all traffic", () => smallPipeline("prod", { fnService: { ingressSettings: "ALLOW_ALL" } })],
  ["FN-002", "function with default ingress", () => smallPipeline("prod", { fnService: { ingressSettings: undefined } })],
  ["LBL-001", "no cost_center label", () => smallPipeline("prod", { provider: { defaultLabels: { env: "prod", team: "data-platform" } } })],
  ["LBL-001", "env label of another environment", () => smallPipeline("prod", { topic: { labels: { env: "dev" } } })],
  ["KMS-001", "topic without key where CMEK is required", () => withCmek(smallPipeline("prod", {}, { cmekRequired: true }), ["events"])],
  ["KMS-002", "dataset without default key where CMEK is required", () => withCmek(smallPipeline("prod", {}, { cmekRequired: true }), ["raw"])],
  [
    "KMS-003",
    "bucket without key where CMEK is required",
    () => {
      const p = withCmek(smallPipeline("prod", {}, { cmekRequired: true }));
      new StorageBucket(p.stack, "sources", { name: "sources", location: "EU", labels: {} });
      return p;
    },
  ],
  ["MON-001", "prod email channel to an example.com address", () => withChannel(smallPipeline("prod"), "email", { labels: { email_address: "oncall@example.com" } })],
  ["MON-001", "staging pagerduty channel with a REPLACE_ME service key", () => withChannel(smallPipeline("staging"), "pagerduty", { sensitiveLabels: { serviceKey: "REPLACE_ME" } })],
  ["MON-001", "prod pagerduty channel without a service key", () => withChannel(smallPipeline("prod"), "pagerduty", {})],
];

/** Adds one notification channel of `type` with the given labels. */
function withChannel(p: SmallPipeline, type: string, labels: { labels?: Record<string, string>; sensitiveLabels?: { serviceKey?: string } }): SmallPipeline {
  new MonitoringNotificationChannel(p.stack, "channel", { type, displayName: "on-call", ...labels });
  return p;
}

/** Puts keys on every topic and dataset except the constructs named in `except`. */
function withCmek(p: SmallPipeline, except: string[] = []): SmallPipeline {
  for (const c of p.stack.node.children) {
    if (except.includes(c.node.id)) continue;
    if (c instanceof PubsubTopic) c.kmsKeyName = KEY;
    if (c instanceof BigqueryDataset) c.putDefaultEncryptionConfiguration({ kmsKeyName: KEY });
  }
  return p;
}

describe("each rule fails a stack that breaks it, and only it", () => {
  it.each(violating)("%s: %s", (ruleId, _what, build) => {
    expect(violatedRuleIds(build())).toEqual([ruleId]);
  });
});

describe("shipped-shape stacks pass", () => {
  it.each(ENVIRONMENTS)("the compliant small pipeline has zero violations in %s", (env) => {
    expect(judge(smallPipeline(env)).violations).toEqual([]);
  });

  const passing: [string, string, () => SmallPipeline][] = [
    [
      "MON-001",
      "prod pagerduty key read from Secret Manager at plan time",
      () => {
        const p = smallPipeline("prod");
        const key = new DataGoogleSecretManagerSecretVersion(p.stack, "key", { secret: "pagerduty-service-key" });
        return withChannel(p, "pagerduty", { sensitiveLabels: { serviceKey: key.secretData } });
      },
    ],
    ["MON-001", "prod email channel to a real address", () => withChannel(smallPipeline("prod"), "email", { labels: { email_address: "data-platform-oncall@streamline.io" } })],
    ["MON-001", "dev email channel to a test address", () => withChannel(smallPipeline("dev"), "email", { labels: { email_address: "dev@example.com" } })],
    ["PS-001", "31-day topic retention", () => smallPipeline("prod", { topic: { messageRetentionDuration: "2678400s" } })],
    ["PS-002", "subscription on a DLQ topic needs no dead-letter policy", () => smallPipeline("prod", { dlqSubscription: { retryPolicy: undefined } })],
    ["PS-004", "100 delivery attempts", () => smallPipeline("prod", { subscription: { deadLetterPolicy: { deadLetterTopic: "events-dlq", maxDeliveryAttempts: 100 } } })],
    ["PS-005", "dev subscriptions may expire", () => smallPipeline("dev", { subscription: { expirationPolicy: { ttl: "2678400s" } } })],
    ["BQ-001", "ref tables need no partitioning", () => smallPipeline("prod")],
    ["BQ-003", "dataset-level default partition expiration", () => smallPipeline("prod", { rawTable: { timePartitioning: { type: "DAY", field: "publish_time" } }, rawDataset: { defaultPartitionExpirationMs: 86_400_000 } })],
    ["BQ-005", "dev tables may be deletable", () => smallPipeline("dev", { rawTable: { deletionProtection: false } })],
    ["KMS-001", "CMEK everywhere it is required", () => withCmek(smallPipeline("prod", {}, { cmekRequired: true }))],
  ];
  it.each(passing)("%s passes: %s", (ruleId, _what, build) => {
    expect(judge(build()).violations.filter((v) => v.ruleId === ruleId)).toEqual([]);
  });

  it("LBL-001 passes: resource labels complete the provider's default labels", () => {
    const p = smallPipeline("prod", { provider: { defaultLabels: { env: "prod", team: "data-platform" } }, topic: { labels: { cost_center: "cc-4410" } } });
    const lbl = judge(p).violations.filter((v) => v.ruleId === "LBL-001");
    expect(lbl.map((v) => v.address)).not.toContain("google_pubsub_topic.events");
    expect(lbl.map((v) => v.address)).toContain("google_pubsub_topic.events-dlq");
  });

  it("accepts the Pub/Sub service agent given through a google_iam_policy binding", () => {
    const p = smallPipeline("prod", { omitAgentGrants: { publisher: true } });
    const doc = new DataGoogleIamPolicy(p.stack, "dlq-doc", { binding: [{ role: "roles/pubsub.publisher", members: [PUBSUB_AGENT] }] });
    new PubsubTopicIamPolicy(p.stack, "dlq-policy", { topic: "events-dlq", policyData: doc.policyData });
    expect(judge(p).violations.map((v) => v.ruleId)).toEqual([]);
  });
});

describe("synth", () => {
  it("fails listing every violation with rule id, construct path and fix", () => {
    const p = smallPipeline("prod", { topic: { messageRetentionDuration: undefined }, fnService: { ingressSettings: "ALLOW_ALL" } });
    let message = "";
    try {
      Testing.synth(p.stack, true);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/PS-001 prod\/events \(google_pubsub_topic\.events\): has no message_retention_duration\. Fix: Set message_retention_duration/);
    expect(message).toMatch(/FN-002 prod\/fn \(google_cloudfunctions2_function\.fn\): ingress_settings is ALLOW_ALL\. Fix: /);
  });

  it("succeeds on a compliant stack", () => {
    expect(() => Testing.synth(smallPipeline("prod").stack, true)).not.toThrow();
  });

  it("every rule has an id, a one-line rationale and a fix", () => {
    for (const r of RULES) {
      expect(r.id).toMatch(/^(PS|BQ|IAM|FN|LBL|KMS|MON)-\d{3}$/);
      expect(r.rationale).not.toMatch(/\n/);
      expect(r.fix.length).toBeGreaterThan(10);
    }
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });
});
