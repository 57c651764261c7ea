import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { dependable, GcsBackend, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { join } from "node:path";
import type { EnvConfig } from "../config";
import { NIGHTLY_RECONCILE_REQUEST } from "../contracts/reconcile-request";
import { commerceEventAvroSchema } from "../contracts/schemas";
import { REPLAY_DLQ_TOPIC, REPLAY_SUBSCRIPTION, REPLAY_TOPIC } from "../contracts/replay";
import { tableId, type TableContract } from "../contracts/table";
import { DATASETS, TABLES, curatedCommerceEvents, opsDeadLetters, rawCommerceEvents } from "../contracts/tables";
import { BigquerySubscription } from "./constructs/bigquery-subscription";
import { BigqueryView } from "./constructs/bigquery-view";
import { CloudFunction } from "./constructs/cloud-function";
import { Dataset } from "./constructs/dataset";
import { DeadLetteredSubscription } from "./constructs/dead-lettered-subscription";
import { datasetDefaultExpirationDays, DATASET_DESCRIPTIONS, tableExpirationDays } from "./constructs/dataset-defaults";
import { FUNCTION_TOPICS, functionEnvironment } from "./constructs/function-env";
import { FunctionSourceBucket } from "./constructs/function-source-bucket";
import { Monitoring } from "./constructs/monitoring";
import { resourceLabels } from "./constructs/labels";
import { NightlySchedule } from "./constructs/nightly-schedule";
import { PartitionedTable } from "./constructs/partitioned-table";
import { PubsubServiceAgent } from "./constructs/pubsub-service-agent";
import { PushInvoker } from "./constructs/push-invoker";
import { StreamingTopic } from "./constructs/streaming-topic";
import { applyGuardrails } from "./guardrails";

export interface PipelineStackProps {
  /** The environment's validated config (`loadConfig(env)`). */
  readonly config: EnvConfig;
  /** Folder with one source zip per function (`<name>.zip`), e.g. `<root>/dist/functions`. */
  readonly functionBundlesDir: string;
  /** The repository's sql/ folder (views are read from `views/`). */
  readonly sqlDir: string;
  /** Stamped into PIPELINE_VERSION of the functions, e.g. the package version "0.1.0". */
  readonly pipelineVersion: string;
}

/** One environment of the pipeline: topics -> tables -> functions -> subscriptions -> schedule. */
export class PipelineStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id);
    const { config: c } = props;
    // Policy rules judge the finished stack at synth; a violation fails synth (see stacks/guardrails).
    applyGuardrails(this, { environment: c.environment, cmekRequired: c.cmek.required });
    const labels = resourceLabels(c);
    const topicDefaults = { allowedPersistenceRegions: c.pubsub.allowedPersistenceRegions, labels, kmsKeyName: c.cmek.kmsKeyName };
    const retention = (name: keyof EnvConfig["pubsub"]["topics"]) => c.pubsub.topics[name].messageRetention;

    new GcsBackend(this, { bucket: c.stateBucket, prefix: `streamline/${c.environment}` });
    new GoogleProvider(this, "google", { project: c.project, region: c.region });
    const pubsubAgent = new PubsubServiceAgent(this, "pubsub-service-agent", { project: c.project });

    // Topics
    const commerceEvents = new StreamingTopic(this, "topic-commerce-events", {
      ...topicDefaults,
      name: "commerce-events",
      messageRetention: retention("commerce-events"),
      avroSchema: { name: "commerce-event", definition: commerceEventAvroSchema },
    });
    const reconcileRequests = new StreamingTopic(this, "topic-reconcile-requests", {
      ...topicDefaults,
      name: "reconcile-requests",
      messageRetention: retention("reconcile-requests"),
    });
    const alerts = new StreamingTopic(this, "topic-reconciliation-alerts", {
      ...topicDefaults,
      name: FUNCTION_TOPICS.alerts,
      messageRetention: retention("reconciliation-alerts"),
    });

    // Datasets and tables
    const datasets = Object.fromEntries(
      DATASETS.map((d) => [
        d,
        new Dataset(this, `dataset-${d}`, {
          project: c.project,
          datasetId: d,
          location: c.bigqueryLocation,
          description: DATASET_DESCRIPTIONS[d],
          defaultPartitionExpirationDays: datasetDefaultExpirationDays(d, c),
          labels,
        }),
      ]),
    ) as Record<(typeof DATASETS)[number], Dataset>;
    const tables = Object.fromEntries(
      TABLES.map((t) => [
        tableId(t),
        new PartitionedTable(this, `table-${t.dataset}-${t.table}`, {
          dataset: datasets[t.dataset],
          contract: t,
          partitionExpirationDays: tableExpirationDays(t, c),
          deletionProtection: c.deletionProtection,
          labels,
        }),
      ]),
    );
    // Views readers use instead of the raw tables (SQL text from sql/views/)
    const views = [
      { over: curatedCommerceEvents, suffix: "dedup", file: "commerce_events_dedup.sql", description: "curated.commerce_events without transport duplicates (first write of each event_id)." },
      { over: opsDeadLetters, suffix: "explained", file: "dead_letters_explained.sql", description: "ops.dead_letters with reason, stage and source filled from the message attributes." },
    ];
    for (const v of views) {
      new BigqueryView(this, `view-${v.over.dataset}-${v.over.table.replace(/_/g, "-")}-${v.suffix}`, {
        dataset: datasets[v.over.dataset],
        viewId: `${v.over.table}_${v.suffix}`,
        description: v.description,
        sqlFile: join(props.sqlDir, "views", v.file),
        datasets: DATASETS,
        deletionProtection: c.deletionProtection,
        labels,
      }).view.dependsOn = [dependable(tables[tableId(v.over)].table)];
    }

    // Functions
    const sourceBucket = new FunctionSourceBucket(this, "function-sources", {
      name: `${c.project}-function-sources`,
      location: c.region,
      deletionProtection: c.deletionProtection,
      labels,
    });
    const fn = (name: "enrichment" | "reconciliation", description: string) =>
      new CloudFunction(this, `function-${name}`, {
        name,
        description,
        project: c.project,
        region: c.region,
        sourceArchive: join(props.functionBundlesDir, `${name}.zip`),
        sourceBucket,
        settings: c.functions[name],
        environment: functionEnvironment(name, c, props.pipelineVersion),
        labels,
      });
    const enrichment = fn("enrichment", "Validates, deduplicates and enriches commerce events into curated.commerce_events.");
    const reconciliation = fn("reconciliation", "Nightly: diffs one day of the stream against the order ledger.");

    // Subscriptions: push to the functions, mirror to BigQuery, dead letters to ops.dead_letters
    const invoker = new PushInvoker(this, "push-invoker", { region: c.region, serviceAgent: pubsubAgent });
    const enrichmentSub = new DeadLetteredSubscription(this, "subscription-enrichment", {
      ...topicDefaults,
      name: "enrichment",
      topic: commerceEvents,
      settings: c.pubsub.subscriptions.enrichment,
      delivery: { kind: "push", endpoint: enrichment.url, invokerEmail: invoker.email },
      deadLetterTopic: { name: FUNCTION_TOPICS.dlq, messageRetention: retention("commerce-events-dlq") },
      serviceAgent: pubsubAgent,
    });
    // Replay path (npm run replay / redrive): its own topic and push subscription to the same function,
    // so a backfill never queues behind live traffic; its max-attempt forwards land in ops.dead_letters too.
    const replayTopic = new StreamingTopic(this, "topic-commerce-events-replay", { ...topicDefaults, name: REPLAY_TOPIC, messageRetention: retention("commerce-events") });
    const replaySub = new DeadLetteredSubscription(this, "subscription-enrichment-replay", {
      ...topicDefaults,
      name: REPLAY_SUBSCRIPTION,
      topic: replayTopic,
      settings: c.pubsub.subscriptions.enrichment,
      delivery: { kind: "push", endpoint: enrichment.url, invokerEmail: invoker.email },
      deadLetterTopic: { name: REPLAY_DLQ_TOPIC, messageRetention: retention("commerce-events-dlq") },
      serviceAgent: pubsubAgent,
    });
    new DeadLetteredSubscription(this, "subscription-reconciliation", {
      ...topicDefaults,
      name: "reconciliation",
      topic: reconcileRequests,
      settings: c.pubsub.subscriptions.reconciliation,
      delivery: { kind: "push", endpoint: reconciliation.url, invokerEmail: invoker.email },
      deadLetterTopic: { name: "reconcile-requests-dlq", messageRetention: retention("reconcile-requests-dlq") },
      serviceAgent: pubsubAgent,
    });
    // BigQuery subscriptions reuse the raw-mirror settings; their DLQs (`<name>-dlq`) keep messages as long as commerce-events-dlq.
    const bigquerySubscription = (name: string, topic: StreamingTopic, table: Pick<TableContract, "dataset" | "table">) =>
      new BigquerySubscription(this, `subscription-${name}`, {
        ...topicDefaults,
        name,
        topic,
        table: tables[tableId(table)],
        dataset: datasets[table.dataset],
        settings: c.pubsub.subscriptions["raw-mirror"],
        deadLetterTopic: { name: `${name}-dlq`, messageRetention: retention("commerce-events-dlq") },
        serviceAgent: pubsubAgent,
      });
    bigquerySubscription("raw-mirror", commerceEvents, rawCommerceEvents);
    bigquerySubscription("dead-letters", enrichmentSub.deadLetterTopic, opsDeadLetters);
    bigquerySubscription("replay-dead-letters", replaySub.deadLetterTopic, opsDeadLetters);

    // Least-privilege grants, read as the data flow
    invoker.grantInvoke(enrichment);
    invoker.grantInvoke(reconciliation);
    datasets.curated.grantDataEditor(enrichment);
    datasets.ref.grantDataViewer(enrichment);
    enrichmentSub.deadLetterTopic.grantPublish(enrichment);
    enrichment.grantBigqueryJobUser(c.project);
    // raw: the parity canaries read the mirror (sql/parity/).
    for (const d of ["curated", "ledger", "ref", "raw"] as const) datasets[d].grantDataViewer(reconciliation);
    datasets.ops.grantDataEditor(reconciliation);
    if (c.reconciliation.repair) datasets.curated.grantDataEditor(reconciliation);
    alerts.grantPublish(reconciliation);
    reconciliation.grantBigqueryJobUser(c.project);

    // Nightly schedule
    new NightlySchedule(this, "schedule-nightly-reconciliation", {
      name: "nightly-reconciliation",
      description: "Asks the reconciliation function to reconcile the previous day.",
      region: c.region,
      schedule: c.reconciliation.schedule,
      topic: reconcileRequests,
      message: NIGHTLY_RECONCILE_REQUEST,
    });

    // Alerts and dashboard (runbook: docs/RUNBOOK.md)
    new Monitoring(this, "monitoring", {
      project: c.project,
      environment: c.environment,
      settings: c.monitoring,
      driftThresholds: c.reconciliation.thresholds,
      parityThresholds: c.reconciliation.parity,
      enrichmentSubscription: enrichmentSub.subscription.name,
      deadLetterSubscriptions: this.node
        .findAll()
        .filter((n): n is DeadLetteredSubscription => n instanceof DeadLetteredSubscription)
        .map((d) => d.deadLetterSubscription.name),
      enrichmentService: enrichment.serviceName,
      reconciliationService: reconciliation.serviceName,
      labels,
    });
  }
}
