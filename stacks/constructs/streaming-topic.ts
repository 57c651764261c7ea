import { PubsubSchema } from "@cdktf/provider-google/lib/pubsub-schema";
import { PubsubTopic } from "@cdktf/provider-google/lib/pubsub-topic";
import { PubsubTopicIamMember } from "@cdktf/provider-google/lib/pubsub-topic-iam-member";
import { Construct } from "constructs";
import { DURATION_PATTERN, durationSeconds } from "../../config";
import { isWithin, TOPIC_RETENTION_S } from "../../config/gcp-limits";
import { check } from "./construct-error";
import type { Grantee } from "./grantee";
import type { ResourceLabels } from "./labels";

export interface StreamingTopicProps {
  /** Topic name, e.g. "commerce-events" (3-255 chars). */
  readonly name: string;
  /** Message retention on the topic, e.g. "604800s" (10 min to 31 days). No default: every topic sets it. */
  readonly messageRetention: string;
  /** Regions where Pub/Sub may persist messages, e.g. ["europe-west1"]. */
  readonly allowedPersistenceRegions: readonly string[];
  /** Labels for the topic (config labels + env). */
  readonly labels: ResourceLabels;
  /** Avro schema enforced at publish with JSON encoding. Default: none (any bytes accepted). */
  readonly avroSchema?: { /** Schema resource name, e.g. "commerce-event". */ readonly name: string; readonly definition: object };
  /** CMEK key, `projects/.../cryptoKeys/...`. Default: Google-managed encryption. */
  readonly kmsKeyName?: string;
}

/** A Pub/Sub topic with retention, a storage policy, labels and optionally an Avro schema (JSON encoding). */
export class StreamingTopic extends Construct {
  readonly topic: PubsubTopic;
  /** Topic name, e.g. "commerce-events". */
  readonly name: string;
  /** Full topic id, `projects/<project>/topics/<name>`. */
  readonly id: string;

  constructor(scope: Construct, id: string, props: StreamingTopicProps) {
    super(scope, id);
    check(this, /^[A-Za-z][\w.~+%-]{2,254}$/.test(props.name), `topic name ${JSON.stringify(props.name)} must be 3-255 chars starting with a letter`);
    check(
      this,
      DURATION_PATTERN.test(props.messageRetention) && isWithin(durationSeconds(props.messageRetention), TOPIC_RETENTION_S),
      `messageRetention ${JSON.stringify(props.messageRetention)} must be a duration between ${TOPIC_RETENTION_S.min}s and ${TOPIC_RETENTION_S.max}s`,
    );
    check(this, props.allowedPersistenceRegions.length > 0, "allowedPersistenceRegions must name at least one region");

    const schema = props.avroSchema
      ? new PubsubSchema(this, "schema", { name: props.avroSchema.name, type: "AVRO", definition: JSON.stringify(props.avroSchema.definition) })
      : undefined;

    this.topic = new PubsubTopic(this, "topic", {
      name: props.name,
      messageRetentionDuration: props.messageRetention,
      messageStoragePolicy: { allowedPersistenceRegions: [...props.allowedPersistenceRegions] },
      labels: { ...props.labels },
      kmsKeyName: props.kmsKeyName,
      schemaSettings: schema ? { schema: schema.id, encoding: "JSON" } : undefined,
      dependsOn: schema ? [schema] : undefined,
    });
    this.name = props.name;
    this.id = this.topic.id;
  }

  /** Lets the grantee publish to this topic. */
  grantPublish(grantee: Grantee): PubsubTopicIamMember {
    return new PubsubTopicIamMember(this, `publisher-${grantee.granteeName}`, {
      topic: this.topic.name,
      role: "roles/pubsub.publisher",
      member: grantee.member,
    });
  }
}
