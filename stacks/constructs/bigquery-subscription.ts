import { dependable } from "cdktf";
import { Construct } from "constructs";
import type { Dataset } from "./dataset";
import { DeadLetteredSubscription, type DeadLetteredSubscriptionProps } from "./dead-lettered-subscription";
import type { PartitionedTable } from "./partitioned-table";

/** The subscription settings are those of {@link DeadLetteredSubscriptionProps}; this adds the table. */
export interface BigquerySubscriptionProps
  extends Pick<
    DeadLetteredSubscriptionProps,
    "name" | "topic" | "settings" | "deadLetterTopic" | "allowedPersistenceRegions" | "serviceAgent" | "labels" | "kmsKeyName"
  > {
  /** Table with the Pub/Sub metadata columns (subscription_name, message_id, publish_time, data, attributes). */
  readonly table: PartitionedTable;
  /** The table's dataset; the service agent gets roles/bigquery.dataEditor on it, not on the project. */
  readonly dataset: Dataset;
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
    // depends_on takes bare addresses (`dependable`), not "${...}" interpolations (Terraform rejects those).
    this.deadLettered.subscription.dependsOn = [dependable(props.table.table), dependable(grant)];
  }
}
