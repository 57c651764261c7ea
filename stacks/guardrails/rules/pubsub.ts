import { durationSeconds, DURATION_PATTERN } from "../../../config/duration";
import { ACK_DEADLINE_S, FUNCTION_TIMEOUT_S, isWithin, MAX_DELIVERY_ATTEMPTS, TOPIC_RETENTION_S } from "../../../config/gcp-limits";
import { iamGrants, isPublicMember } from "../iam-grants";
import { PubsubModel } from "../pubsub-model";
import { finding, type GuardrailRule } from "../rule";
import { asString, block, mentions } from "../../terraform-json";


export const topicRetention: GuardrailRule = {
  id: "PS-001",
  title: "Topics retain messages within Pub/Sub's limits",
  rationale: "Topic retention is what makes replay (seek) possible after a bad deploy; without it acked messages are gone.",
  fix: `Set message_retention_duration between ${TOPIC_RETENTION_S.min}s and ${TOPIC_RETENTION_S.max}s (config pubsub.topics.<topic>.messageRetention).`,
  check(ctx) {
    return ctx.view.ofType("google_pubsub_topic").flatMap((t) => {
      const retention = asString(t.config.message_retention_duration);
      if (retention === undefined) return [finding(this, t, "has no message_retention_duration")];
      if (!DURATION_PATTERN.test(retention)) return [finding(this, t, `message_retention_duration ${retention} is not a literal duration like "604800s"`)];
      const s = durationSeconds(retention);
      return isWithin(s, TOPIC_RETENTION_S) ? [] : [finding(this, t, `message_retention_duration ${retention} is outside ${TOPIC_RETENTION_S.min}s-${TOPIC_RETENTION_S.max}s`)];
    });
  },
};

export const subscriptionDeadLettered: GuardrailRule = {
  id: "PS-002",
  title: "Pull and push subscriptions have a dead-letter and a retry policy",
  rationale: "Without a dead-letter policy a poison message is redelivered until retention drops it; without a retry policy redelivery is immediate and hot.",
  fix: "Build the subscription with DeadLetteredSubscription (dead_letter_policy + retry_policy); subscriptions on DLQ topics are exempt.",
  check(ctx) {
    const ps = new PubsubModel(ctx.view);
    return ps.subscriptions
      .filter((s) => ps.isPullOrPush(s) && !ps.isOnDlqTopic(s))
      .flatMap((s) => {
        const missing = [!ps.isDeadLettered(s) && "dead_letter_policy", block(s.config.retry_policy) === undefined && "retry_policy"].filter(Boolean);
        return missing.length ? [finding(this, s, `has no ${missing.join(" and no ")}`)] : [];
      });
  },
};

export const dlqTopicHasSubscription: GuardrailRule = {
  id: "PS-003",
  title: "Every DLQ topic has a subscription",
  rationale: "Pub/Sub drops messages published to a topic with no subscription: dead letters would be lost silently.",
  fix: "Attach a subscription to the DLQ topic (e.g. the BigQuery subscription into ops.dead_letters, or a pull subscription for inspection).",
  check(ctx) {
    const ps = new PubsubModel(ctx.view);
    const subscribed = new Set(ps.subscriptions.map((s) => ps.topicKeyOf(s)));
    return [...ps.dlqTopicKeys].filter((k) => !subscribed.has(k)).map((k) => finding(this, ps.describeTopic(k), "is a dead-letter topic with no subscription"));
  },
};

export const deliveryAttemptsAndAckDeadline: GuardrailRule = {
  id: "PS-004",
  title: `Delivery attempts within ${MAX_DELIVERY_ATTEMPTS.min}-${MAX_DELIVERY_ATTEMPTS.max}; push ack deadline covers the function timeout`,
  rationale: `Pub/Sub rejects max_delivery_attempts outside ${MAX_DELIVERY_ATTEMPTS.min}-${MAX_DELIVERY_ATTEMPTS.max}, and a push whose ack deadline ends before the function does is redelivered while still running.`,
  fix: `Keep maxDeliveryAttempts within ${MAX_DELIVERY_ATTEMPTS.min}-${MAX_DELIVERY_ATTEMPTS.max} and ackDeadlineSeconds >= the function's timeoutSeconds (config pubsub.subscriptions / functions).`,
  check(ctx) {
    const ps = new PubsubModel(ctx.view);
    const functions = ctx.view.ofType("google_cloudfunctions2_function");
    return ps.subscriptions.flatMap((s) => {
      const out = [];
      const policy = block(s.config.dead_letter_policy);
      if (policy !== undefined) {
        // Pub/Sub's defaults apply where the attribute is left out.
        const attempts = typeof policy.max_delivery_attempts === "number" ? policy.max_delivery_attempts : MAX_DELIVERY_ATTEMPTS.default!;
        if (!isWithin(attempts, MAX_DELIVERY_ATTEMPTS)) {
          out.push(finding(this, s, `max_delivery_attempts ${attempts} is outside ${MAX_DELIVERY_ATTEMPTS.min}-${MAX_DELIVERY_ATTEMPTS.max}`));
        }
      }
      const endpoint = block(s.config.push_config)?.push_endpoint;
      const target = functions.find((f) => mentions(endpoint, f.address));
      if (target !== undefined) {
        const timeout = Number(block(target.config.service_config)?.timeout_seconds ?? FUNCTION_TIMEOUT_S.default);
        const ack = Number(s.config.ack_deadline_seconds ?? ACK_DEADLINE_S.default);
        if (ack < timeout) out.push(finding(this, s, `ack_deadline_seconds ${ack} is shorter than ${target.address} timeout ${timeout}s`));
      }
      return out;
    });
  },
};

export const subscriptionsNeverExpire: GuardrailRule = {
  id: "PS-005",
  title: "Subscriptions in staging and prod never expire",
  rationale: "Pub/Sub deletes a subscription idle for 31 days unless expiration_policy.ttl is \"\": a quiet weekend-only feed would vanish with its backlog.",
  fix: 'Set expiration_policy { ttl = "" } (config pubsub.subscriptions.<sub>.expirationTtl: null).',
  check(ctx) {
    if (ctx.environment === "dev") return [];
    return ctx.view.ofType("google_pubsub_subscription").flatMap((s) => {
      const ttl = block(s.config.expiration_policy)?.ttl;
      return ttl === "" ? [] : [finding(this, s, ttl === undefined ? "has no expiration_policy (Pub/Sub then expires it after 31 idle days)" : `expires after ${String(ttl)}`)];
    });
  },
};

export const noPublicPubsubIam: GuardrailRule = {
  id: "PS-006",
  title: "No public Pub/Sub topic or subscription IAM",
  rationale: "allUsers/allAuthenticatedUsers on a topic lets anyone inject events; on a subscription, read them.",
  fix: "Grant a specific service account instead of allUsers/allAuthenticatedUsers: StreamingTopic.grantPublish for a publisher, a roles/pubsub.subscriber member on the subscription for a reader.",
  checkov: ["CKV_GCP_99"],
  check(ctx) {
    return iamGrants(ctx.view)
      .filter((g) => /^google_pubsub_(topic|subscription)_iam_/.test(g.resourceType) && isPublicMember(g.member))
      .map((g) => finding(this, g.source, `grants ${g.role} to ${g.member}`));
  },
};

export const serviceAgentDlqGrants: GuardrailRule = {
  id: "PS-007",
  title: "The Pub/Sub service agent may publish to each DLQ topic and consume each dead-lettered subscription",
  rationale: "Without roles/pubsub.publisher on the DLQ topic and roles/pubsub.subscriber on the source subscription, Pub/Sub cannot forward dead letters and keeps redelivering.",
  fix: "Grant service-<project-number>@gcp-sa-pubsub.iam.gserviceaccount.com publisher on the DLQ topic and subscriber on the subscription (DeadLetteredSubscription does both).",
  check(ctx) {
    const ps = new PubsubModel(ctx.view);
    const missingPublish = [...ps.dlqTopicKeys]
      .filter((k) => !ps.serviceAgentHasOnTopic(k, "roles/pubsub.publisher"))
      .map((k) => finding(this, ps.describeTopic(k), "is a dead-letter topic the Pub/Sub service agent may not publish to (roles/pubsub.publisher)"));
    const missingSubscribe = ps.subscriptions
      .filter((s) => ps.isDeadLettered(s) && !ps.serviceAgentHasOnSubscription(s, "roles/pubsub.subscriber"))
      .map((s) => finding(this, s, "is dead-lettered but the Pub/Sub service agent lacks roles/pubsub.subscriber on it"));
    return [...missingPublish, ...missingSubscribe];
  },
};

export const PUBSUB_RULES = [
  topicRetention,
  subscriptionDeadLettered,
  dlqTopicHasSubscription,
  deliveryAttemptsAndAckDeadline,
  subscriptionsNeverExpire,
  noPublicPubsubIam,
  serviceAgentDlqGrants,
];
