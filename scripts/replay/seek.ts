import { PubSub } from "@google-cloud/pubsub";

/**
 * Seeks a live subscription to a time: Pub/Sub marks every message published since then unacked
 * again and redelivers it. Only within the subscription's retention (messages acked earlier are kept
 * only with retain_acked_messages or topic retention), and it re-delivers everything since `time` to
 * that subscription, live traffic included: acks made since then are lost.
 */
export async function seekSubscription(o: { projectId: string; subscription: string; time: string; client?: PubSub }): Promise<void> {
  const client = o.client ?? new PubSub({ projectId: o.projectId });
  try {
    await client.subscription(o.subscription).seek(new Date(o.time));
  } finally {
    if (!o.client) await client.close();
  }
}
