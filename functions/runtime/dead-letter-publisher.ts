import { PubSub } from "@google-cloud/pubsub";

/** Publishes a message to a dead-letter topic; resolves with the message id once Pub/Sub has it. */
export interface DeadLetterPublisher {
  publish(data: Buffer, attributes: Record<string, string>): Promise<string>;
}

/** Pub/Sub caps an attribute value at 1024 bytes; longer details are cut, not rejected. */
export const MAX_ATTRIBUTE_BYTES = 1024;

export function clampAttribute(value: string): string {
  if (Buffer.byteLength(value) <= MAX_ATTRIBUTE_BYTES) return value;
  const buf = Buffer.from(value).subarray(0, MAX_ATTRIBUTE_BYTES - 3);
  // Drop a split trailing UTF-8 sequence (decodes to U+FFFD) before adding the ellipsis.
  return buf.toString("utf8").replace(/\uFFFD$/, "") + "...";
}

export interface PubSubDeadLetterPublisherOptions {
  projectId: string;
  /** Topic name ("commerce-events-dlq") or full path ("projects/p/topics/commerce-events-dlq"). */
  topic: string;
  /** Client to use. Default: a new client; it honours PUBSUB_EMULATOR_HOST. */
  client?: PubSub;
}

/** Dead-letter publisher over `@google-cloud/pubsub`. */
export class PubSubDeadLetterPublisher implements DeadLetterPublisher {
  private readonly topic: ReturnType<PubSub["topic"]>;
  private readonly client: PubSub;

  constructor(opts: PubSubDeadLetterPublisherOptions) {
    this.client = opts.client ?? new PubSub({ projectId: opts.projectId });
    // Poison is rare: publish each at once rather than waiting for a batch to fill.
    this.topic = this.client.topic(opts.topic, { batching: { maxMessages: 100, maxMilliseconds: 1 } });
  }

  publish(data: Buffer, attributes: Record<string, string>): Promise<string> {
    const clamped = Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, clampAttribute(v)]));
    return this.topic.publishMessage({ data, attributes: clamped });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
