import { PubsubSubscription, type PubsubSubscriptionConfig } from "@cdktf/provider-google/lib/pubsub-subscription";
import { PubsubSubscriptionIamMember } from "@cdktf/provider-google/lib/pubsub-subscription-iam-member";
import { Construct } from "constructs";
import type { EnvConfig } from "../../config";
import { ACK_DEADLINE_S, MAX_DELIVERY_ATTEMPTS } from "../../config/gcp-limits";
import { check, checkIntegerWithin } from "./construct-error";
import type { ResourceLabels } from "./labels";
import type { PubsubServiceAgent } from "./pubsub-service-agent";
import { StreamingTopic } from "./streaming-topic";

/** Delivery settings of one subscription, as config holds them (`config.pubsub.subscriptions.*`). */
export type SubscriptionSettings = EnvConfig["pubsub"]["subscriptions"]["enrichment"];

/** How messages leave the subscription. */
export type Delivery =
  | { readonly kind: "pull" }
  /** Push to an HTTPS endpoint with an OIDC token minted for `invokerEmail` (audience = endpoint). */
  | { readonly kind: "push"; readonly endpoint: string; readonly invokerEmail: string }
  /** Write to a BigQuery table `project.dataset.table`: raw payload in `data` plus the Pub/Sub metadata columns. */
  | { readonly kind: "bigquery"; readonly table: string };

export interface DeadLetteredSubscriptionProps {
  /** Subscription name, e.g. "enrichment". */
  readonly name: string;
  /** Topic the subscription reads. */
  readonly topic: StreamingTopic;
  /** Ack deadline, retry backoff, max delivery attempts, retention, expiration TTL (null = never expires). */
  readonly settings: SubscriptionSettings;
  /** Where messages go. */
  readonly delivery: Delivery;
  /** The DLQ topic this subscription owns, and its retention, e.g. { name: "commerce-events-dlq", messageRetention: "604800s" }. */
  readonly deadLetterTopic: { readonly name: string; readonly messageRetention: string };
  /** Regions the DLQ topic may persist messages in. */
  readonly allowedPersistenceRegions: readonly string[];
  /** The Pub/Sub service agent, granted publish on the DLQ topic and subscribe on this subscription. */
  readonly serviceAgent: PubsubServiceAgent;
  /** Labels for every resource here (config labels + env). */
  readonly labels: ResourceLabels;
  /** Pub/Sub filter expression. Default: none (all messages). */
  readonly filter?: string;
  /** Deliver messages with the same ordering key in order. Default: false. */
  readonly enableMessageOrdering?: boolean;
  /** Exactly-once delivery (pull only). Default: false. */
  readonly enableExactlyOnceDelivery?: boolean;
  /** CMEK key for the DLQ topic. Default: Google-managed encryption. */
  readonly kmsKeyName?: string;
}

/**
 * A subscription we own in Terraform (not Eventarc's hidden one): ack deadline, retry policy and a
 * dead-letter policy to a DLQ topic that itself has a pull subscription, so nothing dead-lettered is
 * dropped. The Pub/Sub service agent gets exactly the IAM dead-lettering needs.
 */
export class DeadLetteredSubscription extends Construct {
  readonly subscription: PubsubSubscription;
  readonly deadLetterTopic: StreamingTopic;
  /** Pull subscription on the DLQ topic, named `<dlq topic>-sub`. */
  readonly deadLetterSubscription: PubsubSubscription;

  constructor(scope: Construct, id: string, props: DeadLetteredSubscriptionProps) {
    super(scope, id);
    const s = props.settings;
    checkIntegerWithin(this, "maxDeliveryAttempts", s.maxDeliveryAttempts, MAX_DELIVERY_ATTEMPTS);
    checkIntegerWithin(this, "ackDeadlineSeconds", s.ackDeadlineSeconds, ACK_DEADLINE_S);
    check(this, props.deadLetterTopic.name !== props.topic.name, "the dead-letter topic must differ from the source topic");
    check(this, !(props.enableExactlyOnceDelivery && props.delivery.kind !== "pull"), "exactly-once delivery applies to pull subscriptions only");
    if (props.delivery.kind === "push") {
      check(this, props.delivery.endpoint.length > 0 && props.delivery.invokerEmail.length > 0, "push delivery needs an endpoint and an invoker service account");
    }

    this.deadLetterTopic = new StreamingTopic(this, "dlq-topic", {
      name: props.deadLetterTopic.name,
      messageRetention: props.deadLetterTopic.messageRetention,
      allowedPersistenceRegions: props.allowedPersistenceRegions,
      labels: props.labels,
      kmsKeyName: props.kmsKeyName,
    });
    // The DLQ's own subscription: without one, Pub/Sub drops what is dead-lettered.
    this.deadLetterSubscription = new PubsubSubscription(this, "dlq-subscription", {
      name: `${props.deadLetterTopic.name}-sub`,
      topic: this.deadLetterTopic.id,
      ackDeadlineSeconds: s.ackDeadlineSeconds,
      messageRetentionDuration: s.messageRetention,
      retainAckedMessages: false,
      expirationPolicy: { ttl: s.expirationTtl ?? "" },
      labels: { ...props.labels },
    });

    this.subscription = new PubsubSubscription(this, "subscription", {
      name: props.name,
      topic: props.topic.id,
      ackDeadlineSeconds: s.ackDeadlineSeconds,
      messageRetentionDuration: s.messageRetention,
      retryPolicy: { minimumBackoff: s.retryBackoff.minimum, maximumBackoff: s.retryBackoff.maximum },
      deadLetterPolicy: { deadLetterTopic: this.deadLetterTopic.id, maxDeliveryAttempts: s.maxDeliveryAttempts },
      // An empty ttl is Pub/Sub's "never expire"; omitting the block would mean the 31-day default.
      expirationPolicy: { ttl: s.expirationTtl ?? "" },
      filter: props.filter,
      enableMessageOrdering: props.enableMessageOrdering,
      enableExactlyOnceDelivery: props.enableExactlyOnceDelivery,
      labels: { ...props.labels },
      ...deliveryConfig(props.delivery),
    });

    this.deadLetterTopic.grantPublish(props.serviceAgent);
    new PubsubSubscriptionIamMember(this, "subscriber-pubsub-service-agent", {
      subscription: this.subscription.name,
      role: "roles/pubsub.subscriber",
      member: props.serviceAgent.member,
    });
  }
}

function deliveryConfig(d: Delivery): Pick<PubsubSubscriptionConfig, "pushConfig" | "bigqueryConfig"> {
  switch (d.kind) {
    case "pull":
      return {};
    case "push":
      return { pushConfig: { pushEndpoint: d.endpoint, oidcToken: { serviceAccountEmail: d.invokerEmail, audience: d.endpoint } } };
    case "bigquery":
      // Column per metadata field and the payload as published: the table schema, not the topic's, decides.
      return { bigqueryConfig: { table: d.table, writeMetadata: true, useTopicSchema: false, useTableSchema: false } };
  }
}
