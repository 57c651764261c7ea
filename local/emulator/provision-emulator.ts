import { Encodings, PubSub, SchemaTypes, type CreateSubscriptionOptions } from "@google-cloud/pubsub";
import { emulatorPubSub } from "./emulator-clients";
import { deployedRedeliveryOf, localPushRedelivery, type LocalPushRedelivery } from "./push-redelivery";
import { block, isExpression, referencedName, resourcesOfType, type TerraformJson } from "../../stacks/terraform-json";
import { duration } from "./duration-proto";
import { MAX_DELIVERY_ATTEMPTS } from "../../config/gcp-limits";

export interface ProvisionOptions {
  /** Project the emulator resources are created in. */
  projectId: string;
  /** Emulator host:port. Default: $PUBSUB_EMULATOR_HOST. */
  emulatorHost?: string;
  /** Local URL per push subscription name, e.g. { enrichment: "http://127.0.0.1:8081/" }. Unmapped push subscriptions become pull. Default: {}. */
  pushEndpoints?: Record<string, string>;
  /**
   * Replaces every retry policy's backoff, e.g. { minimumSeconds: 0, maximumSeconds: 1 }, so a test
   * sees maxDeliveryAttempts reached in seconds, not minutes. Default: the stack's retry policy.
   */
  retryBackoffOverride?: { minimumSeconds: number; maximumSeconds: number };
  /**
   * Push subscriptions with a local endpoint: "emulator-safe" leaves their retry policy off (the
   * emulator strands nacked messages under one) and stretches max delivery attempts to cover the
   * deployed retry window (local/emulator/push-redelivery.ts); "as-deployed" keeps the stack's policy.
   * Ignored when retryBackoffOverride is set. Default: "emulator-safe".
   */
  pushRedelivery?: "emulator-safe" | "as-deployed";
  /** Where progress lines go. Default: nowhere. */
  log?: (line: string) => void;
}

export interface ProvisionedSubscription {
  name: string;
  topic: string;
  /** push (to pushEndpoint), pull, or bigquery (created as pull: the emulator does not write tables). */
  delivery: "push" | "pull" | "bigquery";
  pushEndpoint?: string;
  deadLetterTopic?: string;
  maxDeliveryAttempts?: number;
  /** Set when the stack's retry policy was left off for the emulator (pushRedelivery "emulator-safe"). */
  localRedelivery?: LocalPushRedelivery;
}

export interface BridgedSubscription {
  /** Pull subscription standing in for the BigQuery subscription. */
  subscription: string;
  topic: string;
  /** The BigQuery table the stack writes, `project.dataset.table`. */
  table: string;
  writeMetadata: boolean;
}

export interface ProvisionResult {
  schemas: string[];
  topics: string[];
  subscriptions: ProvisionedSubscription[];
  /** BigQuery subscriptions, created as pull subscriptions for the caller to bridge into its warehouse. */
  bridged: BridgedSubscription[];
  /** Push subscriptions with no local endpoint in pushEndpoints, created as pull. */
  unmappedPush: string[];
}

const ALREADY_EXISTS = 6;

async function tolerateExisting(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    if ((e as { code?: number }).code !== ALREADY_EXISTS) throw e;
  }
}

/**
 * Creates in the Pub/Sub emulator the schemas, topics and subscriptions of a synthesized Terraform
 * JSON (the dev stack's cdk.tf.json or `Testing.synth` output): the stack is the only list of them.
 * Idempotent: what exists already is left as is.
 */
export async function provisionEmulator(tf: TerraformJson, opts: ProvisionOptions): Promise<ProvisionResult> {
  const log = opts.log ?? (() => undefined);
  const pubsub = opts.emulatorHost
    ? emulatorPubSub({ host: opts.emulatorHost, projectId: opts.projectId })
    : new PubSub({ projectId: opts.projectId });
  const topicPath = (name: string) => `projects/${opts.projectId}/topics/${name}`;
  const result: ProvisionResult = { schemas: [], topics: [], subscriptions: [], bridged: [], unmappedPush: [] };
  try {
    for (const [, s] of resourcesOfType(tf, "google_pubsub_schema")) {
      const name = String(s.name);
      if (s.type !== "AVRO") throw new Error(`schema ${name}: only AVRO schemas run on the emulator (it answers 501 to ${String(s.type)})`);
      await tolerateExisting(pubsub.createSchema(name, SchemaTypes.Avro, String(s.definition)));
      result.schemas.push(name);
    }

    for (const [, t] of resourcesOfType(tf, "google_pubsub_topic")) {
      const name = String(t.name);
      const schema = block(t.schema_settings);
      await tolerateExisting(
        pubsub.createTopic({
          name: topicPath(name),
          messageRetentionDuration: duration(t.message_retention_duration),
          ...(schema
            ? {
                schemaSettings: {
                  schema: `projects/${opts.projectId}/schemas/${referencedName(tf, String(schema.schema))}`,
                  encoding: schema.encoding === "BINARY" ? Encodings.Binary : Encodings.Json,
                },
              }
            : {}),
        }),
      );
      result.topics.push(name);
      log(`topic ${name}${schema ? " (schema " + referencedName(tf, String(schema.schema)) + ")" : ""}`);
    }

    for (const [, s] of resourcesOfType(tf, "google_pubsub_subscription")) {
      const name = String(s.name);
      const topic = referencedName(tf, String(s.topic));
      const dlp = block(s.dead_letter_policy);
      const retry = block(s.retry_policy);
      const push = block(s.push_config);
      const bq = block(s.bigquery_config);
      const expiration = block(s.expiration_policy);
      const localPush = push ? opts.pushEndpoints?.[name] : undefined;
      const deadLetterTopic = dlp ? referencedName(tf, String(dlp.dead_letter_topic)) : undefined;
      const deployedAttempts = Number(dlp?.max_delivery_attempts ?? MAX_DELIVERY_ATTEMPTS.default);
      const deployedRedelivery = deployedRedeliveryOf(s);
      const localRedelivery =
        localPush && deployedRedelivery && !opts.retryBackoffOverride && (opts.pushRedelivery ?? "emulator-safe") === "emulator-safe"
          ? localPushRedelivery(deployedRedelivery)
          : undefined;
      const options: CreateSubscriptionOptions = {
        ackDeadlineSeconds: typeof s.ack_deadline_seconds === "number" ? s.ack_deadline_seconds : undefined,
        messageRetentionDuration: duration(s.message_retention_duration),
        retainAckedMessages: s.retain_acked_messages === true,
        filter: typeof s.filter === "string" && !isExpression(s.filter) ? s.filter : undefined,
        enableMessageOrdering: s.enable_message_ordering === true,
        enableExactlyOnceDelivery: s.enable_exactly_once_delivery === true,
        ...(expiration && duration(expiration.ttl) ? { expirationPolicy: { ttl: duration(expiration.ttl) } } : {}),
        ...(dlp ? { deadLetterPolicy: { deadLetterTopic: topicPath(deadLetterTopic!), maxDeliveryAttempts: localRedelivery?.maxDeliveryAttempts ?? deployedAttempts } } : {}),
        ...(retry && !localRedelivery
          ? {
              retryPolicy: opts.retryBackoffOverride
                ? { minimumBackoff: { seconds: opts.retryBackoffOverride.minimumSeconds }, maximumBackoff: { seconds: opts.retryBackoffOverride.maximumSeconds } }
                : { minimumBackoff: duration(retry.minimum_backoff), maximumBackoff: duration(retry.maximum_backoff) },
            }
          : {}),
        ...(localPush ? { pushConfig: { pushEndpoint: localPush } } : {}),
      };
      await tolerateExisting(pubsub.createSubscription(topicPath(topic), name, options));
      const delivery = localPush ? "push" : bq ? "bigquery" : "pull";
      result.subscriptions.push({ name, topic, delivery, pushEndpoint: localPush, deadLetterTopic, maxDeliveryAttempts: options.deadLetterPolicy?.maxDeliveryAttempts ?? undefined, localRedelivery });
      if (bq) {
        result.bridged.push({ subscription: name, topic, table: String(bq.table), writeMetadata: bq.write_metadata === true });
        log(`subscription ${name} on ${topic}: BigQuery subscription to ${String(bq.table)} bridged as a pull subscription`);
      } else if (push && !localPush) {
        result.unmappedPush.push(name);
        log(`subscription ${name} on ${topic}: push endpoint has no local URL, created as pull`);
      } else {
        log(
          `subscription ${name} on ${topic}: ${delivery}${localPush ? " -> " + localPush : ""}${deadLetterTopic ? `, dead letters to ${deadLetterTopic}` : ""}` +
            (localRedelivery
              ? ` (retry policy left off: the emulator strands nacked pushes under one; max delivery attempts ${localRedelivery.maxDeliveryAttempts} at ~1 s span ${localRedelivery.localWindowSeconds} s, deployed backoff spans ${localRedelivery.deployedWindowSeconds} s)`
              : ""),
        );
      }
    }
    return result;
  } finally {
    await pubsub.close();
  }
}

