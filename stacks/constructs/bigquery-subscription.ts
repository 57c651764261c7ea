import { Construct } from "constructs";
import type { Dataset } from "./dataset";
import { DeadLetteredSubscription, type SubscriptionSettings } from "./dead-lettered-subscription";
import type { ResourceLabels } from "./labels";
import type { PartitionedTable } from "./partitioned-table";
import type { PubsubServiceAgent } from "./pubsub-service-agent";
import type { StreamingTopic } from "./streaming-topic";

export interface BigquerySubscriptionProps {
  /** Subscription name, e.g. "raw-mirror". */
  readonly name: string;
  /** Topic mirrored into the table. */
  readonly topic: StreamingTopic;
  /** Table with the Pub/Sub metadata columns (subscription_name, message_id, publish_time, data, attributes). */
  readonly table: PartitionedTable;
  /** The table's dataset; the service agent gets roles/bigquery.dataEditor on it, not on the project. */
  readonly dataset: Dataset;
  /** Retry, max delivery attempts, retention and expiration (config `pubsub.subscriptions.raw-mirror`). */
  readonly settings: SubscriptionSettings;
  /** This subscription's own DLQ topic and its retention, e.g. { name: "raw-mirror-dlq", messageRetention: "604800s" }. */
  readonly deadLetterTopic: { readonly name: string; readonly messageRetention: string };
  /** Regions the DLQ topic may persist messages in. */
  readonly allowedPersistenceRegions: readonly string[];
  /** The Pub/Sub service agent that writes the rows. */
  readonly serviceAgent: PubsubServiceAgent;
  /** Labels for every resource here (config labels + env). */
  readonly labels: ResourceLabels;
  /** CMEK key for the DLQ topic. Default: Google-managed encryption. */
  readonly kmsKeyName?: string;
}

/**
 * A Pub/Sub -> BigQuery subscription writing each message as published (`data`) with its metadata,
 * dead-lettered like every other subscription (rows BigQuery refuses go to its own DLQ).
 */
export class BigquerySubscription extends Construct {
  readonly deadLettered: DeadLetteredSubscription;

  constructor(scope: Construct, id: string, props: BigquerySubscriptionProps) {
    super(scope, id);
    const grant = props.dataset.grantDataEditor(props.serviceAgent);
    this.deadLettered = new DeadLetteredSubscription(this, "subscription", {
      name: props.name,
      topic: props.topic,
      settings: props.settings,
      delivery: { kind: "bigquery", table: props.table.qualifiedName },
      deadLetterTopic: props.deadLetterTopic,
      allowedPersistenceRegions: props.allowedPersistenceRegions,
      serviceAgent: props.serviceAgent,
      labels: props.labels,
      kmsKeyName: props.kmsKeyName,
    });
    // The table is named by a literal, and Pub/Sub checks table and write permission at creation.
    this.deadLettered.subscription.dependsOn = [props.table.table.fqn, grant.fqn];
  }
}
