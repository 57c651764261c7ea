import { iamGrants, type IamGrant } from "./iam-grants";
import { asString, block, mentions } from "../terraform-json";
import type { TerraformView, TfBlock } from "./terraform-view";

/**
 * Who-points-at-what among topics, subscriptions and their IAM, shared by the cross-resource
 * Pub/Sub rules. A topic is named either by a reference to its resource or by a literal name
 * (`commerce-events-dlq` or `projects/p/topics/commerce-events-dlq`).
 */
export class PubsubModel {
  readonly topics: TfBlock[];
  readonly subscriptions: TfBlock[];
  /** Keys of topics that some subscription dead-letters to, or whose name ends in `-dlq`. */
  readonly dlqTopicKeys: Set<string>;
  private readonly grants: IamGrant[];

  constructor(private readonly view: TerraformView) {
    this.topics = view.ofType("google_pubsub_topic");
    this.subscriptions = view.ofType("google_pubsub_subscription");
    this.grants = iamGrants(view);
    this.dlqTopicKeys = new Set<string>();
    for (const s of this.subscriptions) {
      const dlq = asString(block(s.config.dead_letter_policy)?.dead_letter_topic);
      if (dlq !== undefined) this.dlqTopicKeys.add(this.topicKey(dlq));
    }
    for (const t of this.topics) if (asString(t.config.name)?.endsWith("-dlq")) this.dlqTopicKeys.add(t.address);
  }

  /** A stable key for the topic a value names: the topic's address when we own it, else `name:<name>`. */
  topicKey(value: string): string {
    const ref = this.view.deref(value);
    if (ref?.type === "google_pubsub_topic") return ref.address;
    const name = value.split("/").pop() ?? value;
    return this.topics.find((t) => t.config.name === name)?.address ?? `name:${name}`;
  }

  topicKeyOf(subscription: TfBlock): string {
    return this.topicKey(asString(subscription.config.topic) ?? "");
  }

  isOnDlqTopic(subscription: TfBlock): boolean {
    return this.dlqTopicKeys.has(this.topicKeyOf(subscription));
  }

  /** Pull or push: not a BigQuery or Cloud Storage subscription. */
  isPullOrPush(subscription: TfBlock): boolean {
    return block(subscription.config.bigquery_config) === undefined && block(subscription.config.cloud_storage_config) === undefined;
  }

  isDeadLettered(subscription: TfBlock): boolean {
    return asString(block(subscription.config.dead_letter_policy)?.dead_letter_topic) !== undefined;
  }

  /** The topic resource or the literal name for a DLQ topic key, for messages. */
  describeTopic(key: string): { address: string; path: string } {
    const t = this.view.get(key);
    return t ? { address: t.address, path: t.path } : { address: key, path: key };
  }

  /** True when the Pub/Sub service agent holds `role` on the topic named by `topicKey`. */
  serviceAgentHasOnTopic(topicKey: string, role: string): boolean {
    return this.grants.some(
      (g) => g.resourceType.startsWith("google_pubsub_topic_iam_") && g.role === role && this.isServiceAgent(g.member) && this.topicKey(g.target.topic ?? "") === topicKey,
    );
  }

  /** True when the Pub/Sub service agent holds `role` on `subscription`. */
  serviceAgentHasOnSubscription(subscription: TfBlock, role: string): boolean {
    return this.grants.some(
      (g) =>
        g.resourceType.startsWith("google_pubsub_subscription_iam_") &&
        g.role === role &&
        this.isServiceAgent(g.member) &&
        namesSubscription(g.target.subscription ?? "", subscription),
    );
  }

  /** service-<number>@gcp-sa-pubsub..., literally or through a google_project_service_identity for Pub/Sub. */
  isServiceAgent(member: string): boolean {
    if (/^serviceAccount:service-[^@]+@gcp-sa-pubsub\.iam\.gserviceaccount\.com$/.test(member)) return true;
    return this.view
      .ofType("google_project_service_identity")
      .some((si) => si.config.service === "pubsub.googleapis.com" && mentions(member, si.address));
  }
}

function namesSubscription(value: string, subscription: TfBlock): boolean {
  if (mentions(value, subscription.address)) return true;
  return (value.split("/").pop() ?? value) === subscription.config.name;
}
