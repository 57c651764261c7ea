import { PubSub, type Topic } from "@google-cloud/pubsub";
import type { OutgoingMessage } from "./replay-message";

/** Publishes one message; resolves with its Pub/Sub message id. */
export interface MessagePublisher {
  publish(m: OutgoingMessage): Promise<string>;
}

/** Publisher over `@google-cloud/pubsub` (honours PUBSUB_EMULATOR_HOST), batching like a live publisher. */
export class PubSubMessagePublisher implements MessagePublisher {
  private readonly client: PubSub;
  private readonly topic: Topic;

  constructor(opts: { projectId: string; topic: string; client?: PubSub }) {
    this.client = opts.client ?? new PubSub({ projectId: opts.projectId });
    this.topic = this.client.topic(opts.topic, { batching: { maxMessages: 500, maxMilliseconds: 20 } });
  }

  publish(m: OutgoingMessage): Promise<string> {
    return this.topic.publishMessage({ data: m.data, attributes: m.attributes });
  }

  async close(): Promise<void> {
    await this.topic.flush();
    await this.client.close();
  }
}
