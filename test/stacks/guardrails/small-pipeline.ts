import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BigqueryDataset, type BigqueryDatasetConfig } from "@cdktf/provider-google/lib/bigquery-dataset";
import { BigqueryTable, type BigqueryTableConfig } from "@cdktf/provider-google/lib/bigquery-table";
import { Cloudfunctions2Function, type Cloudfunctions2FunctionConfig } from "@cdktf/provider-google/lib/cloudfunctions2-function";
import { Cloudfunctions2FunctionIamMember } from "@cdktf/provider-google/lib/cloudfunctions2-function-iam-member";
import { GoogleProvider, type GoogleProviderConfig } from "@cdktf/provider-google/lib/provider";
import { PubsubSubscription, type PubsubSubscriptionConfig } from "@cdktf/provider-google/lib/pubsub-subscription";
import { PubsubSubscriptionIamMember } from "@cdktf/provider-google/lib/pubsub-subscription-iam-member";
import { PubsubTopic, type PubsubTopicConfig } from "@cdktf/provider-google/lib/pubsub-topic";
import { PubsubTopicIamMember } from "@cdktf/provider-google/lib/pubsub-topic-iam-member";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { Testing, TerraformStack, type App } from "cdktf";
import type { Environment } from "../../../config";
import { applyGuardrails, type GuardrailResult, type Guardrails } from "../../../stacks/guardrails";

export const PUBSUB_AGENT = "serviceAccount:service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com";

/** Per-resource config overrides: each test breaks one thing. */
export interface Tweaks {
  provider?: Partial<GoogleProviderConfig>;
  topic?: Partial<PubsubTopicConfig>;
  dlqTopic?: Partial<PubsubTopicConfig>;
  subscription?: Partial<PubsubSubscriptionConfig>;
  dlqSubscription?: Partial<PubsubSubscriptionConfig>;
  fn?: Partial<Cloudfunctions2FunctionConfig>;
  fnService?: Partial<NonNullable<Cloudfunctions2FunctionConfig["serviceConfig"]>>;
  rawDataset?: Partial<BigqueryDatasetConfig>;
  rawTable?: Partial<BigqueryTableConfig>;
  refTable?: Partial<BigqueryTableConfig>;
  /** Leave out the service agent's DLQ grants. */
  omitAgentGrants?: { publisher?: boolean; subscriber?: boolean };
  omitDlqSubscription?: boolean;
}

export interface SmallPipeline {
  app: App;
  stack: TerraformStack;
  guardrails: Guardrails;
  fn: Cloudfunctions2Function;
  serviceAccount: ServiceAccount;
  subscription: PubsubSubscription;
  rawTable: BigqueryTable;
}

const outdirs: string[] = [];

/** Removes the temp outdirs the tests' apps wrote to. */
export function cleanUpOutdirs(): void {
  for (const d of outdirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/**
 * A compliant miniature of the pipeline from raw provider resources: topic -> dead-lettered push
 * subscription -> function, DLQ topic with its subscription and service-agent grants, a raw and a
 * ref table. Tweaks break one rule at a time.
 */
export function smallPipeline(environment: Environment = "prod", t: Tweaks = {}, opts: { cmekRequired?: boolean; now?: Date } = {}): SmallPipeline {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "guardrails-"));
  outdirs.push(outdir);
  const app = Testing.app({ outdir });
  const stack = new TerraformStack(app, environment);
  new GoogleProvider(stack, "google", {
    project: "streamline-test",
    defaultLabels: { env: environment, team: "data-platform", cost_center: "cc-4410" },
    ...t.provider,
  });
  const guardrails = applyGuardrails(stack, { environment, cmekRequired: opts.cmekRequired ?? false, now: opts.now ? () => opts.now! : undefined });

  const topic = new PubsubTopic(stack, "events", { name: "events", messageRetentionDuration: "86400s", ...t.topic });
  const dlq = new PubsubTopic(stack, "events-dlq", { name: "events-dlq", messageRetentionDuration: "604800s", ...t.dlqTopic });
  if (!t.omitDlqSubscription) {
    new PubsubSubscription(stack, "events-dlq-sub", { name: "events-dlq-sub", topic: dlq.name, expirationPolicy: { ttl: "" }, ...t.dlqSubscription });
  }
  const serviceAccount = new ServiceAccount(stack, "fn-sa", { accountId: "fn-enrichment" });
  const fn = new Cloudfunctions2Function(stack, "fn", {
    name: "enrichment",
    location: "europe-west1",
    serviceConfig: { timeoutSeconds: 60, ingressSettings: "ALLOW_INTERNAL_ONLY", serviceAccountEmail: serviceAccount.email, ...t.fnService },
    ...t.fn,
  });
  new Cloudfunctions2FunctionIamMember(stack, "fn-invoker", {
    cloudFunction: fn.name,
    location: fn.location,
    role: "roles/cloudfunctions.invoker",
    member: `serviceAccount:${serviceAccount.email}`,
  });
  const subscription = new PubsubSubscription(stack, "enrichment", {
    name: "enrichment",
    topic: topic.name,
    ackDeadlineSeconds: 60,
    pushConfig: { pushEndpoint: fn.serviceConfig.uri, oidcToken: { serviceAccountEmail: serviceAccount.email } },
    deadLetterPolicy: { deadLetterTopic: dlq.id, maxDeliveryAttempts: 5 },
    retryPolicy: { minimumBackoff: "10s", maximumBackoff: "600s" },
    expirationPolicy: { ttl: "" },
    ...t.subscription,
  });
  if (!t.omitAgentGrants?.publisher) {
    new PubsubTopicIamMember(stack, "dlq-agent-publisher", { topic: dlq.name, role: "roles/pubsub.publisher", member: PUBSUB_AGENT });
  }
  if (!t.omitAgentGrants?.subscriber) {
    new PubsubSubscriptionIamMember(stack, "enrichment-agent-subscriber", { subscription: subscription.name, role: "roles/pubsub.subscriber", member: PUBSUB_AGENT });
  }

  const raw = new BigqueryDataset(stack, "raw", { datasetId: "raw", location: "EU", ...t.rawDataset });
  const rawTable = new BigqueryTable(stack, "raw-commerce-events", {
    datasetId: raw.datasetId,
    tableId: "commerce_events",
    timePartitioning: { type: "DAY", field: "publish_time", expirationMs: 7 * 86_400_000 },
    clustering: ["message_id"],
    requirePartitionFilter: true,
    deletionProtection: true,
    ...t.rawTable,
  });
  const ref = new BigqueryDataset(stack, "ref", { datasetId: "ref", location: "EU" });
  new BigqueryTable(stack, "ref-products", { datasetId: ref.datasetId, tableId: "products", clustering: ["sku"], deletionProtection: true, ...t.refTable });
  return { app, stack, guardrails, fn, serviceAccount, subscription, rawTable };
}

/** Runs the aspects (as synth does) and judges the stack. */
export function judge(p: SmallPipeline): GuardrailResult {
  Testing.synth(p.stack);
  return p.guardrails.evaluate();
}

export function violatedRuleIds(p: SmallPipeline): string[] {
  return [...new Set(judge(p).violations.map((v) => v.ruleId))];
}
