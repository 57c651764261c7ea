/** A Pub/Sub message as a push subscription delivers it to the function's URL. */
export interface PushMessage {
  data: Buffer;
  attributes: Record<string, string>;
  messageId: string;
  publishTime: string | null;
  subscription: string;
  /** Present when the subscription has a dead-letter policy (production Pub/Sub; not the emulator). */
  deliveryAttempt: number | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The push envelope `{message: {data, attributes, messageId, publishTime}, subscription, deliveryAttempt}`
 * -> PushMessage, or a string saying what is wrong. Missing data is an empty payload (attribute-only
 * message), which the decoder then classifies.
 */
export function parsePushEnvelope(body: unknown): PushMessage | string {
  if (!isRecord(body)) return "request body is not a JSON object";
  const m = body.message;
  if (!isRecord(m)) return "request body has no `message` object: not a Pub/Sub push envelope";
  const messageId = m.messageId ?? m.message_id;
  if (typeof messageId !== "string" || messageId === "") return "message has no messageId";
  if (m.data !== undefined && typeof m.data !== "string") return "message.data is not a base64 string";
  const attributes: Record<string, string> = {};
  if (m.attributes !== undefined && m.attributes !== null) {
    if (!isRecord(m.attributes)) return "message.attributes is not an object";
    for (const [k, v] of Object.entries(m.attributes)) if (typeof v === "string") attributes[k] = v;
  }
  const publishTime = m.publishTime ?? m.publish_time;
  return {
    data: Buffer.from((m.data as string | undefined) ?? "", "base64"),
    attributes,
    messageId,
    publishTime: typeof publishTime === "string" ? publishTime : null,
    subscription: typeof body.subscription === "string" ? body.subscription : "",
    deliveryAttempt: typeof body.deliveryAttempt === "number" ? body.deliveryAttempt : null,
  };
}
