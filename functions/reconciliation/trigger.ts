import { parsePushEnvelope } from "../runtime/push-envelope";

/** What asked for a run: the requested run_date (unresolved) and the instant "previous_day" counts from. */
export interface RunRequest {
  requested: unknown;
  /** The message's publish time (push, CloudEvent), else the time of the HTTP request. */
  requestedAt: Date;
  via: "push" | "cloudevent" | "http";
  messageId?: string;
}

/** A request that names no run_date: 400 over HTTP; over push it ends in the reconcile-requests DLQ. */
export class BadRunRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BadRunRequestError";
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function runDateOf(payload: Buffer, where: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString("utf8"));
  } catch {
    throw new BadRunRequestError(`${where} is not JSON: expected {"run_date":"YYYY-MM-DD"|"previous_day"}`);
  }
  if (!isRecord(parsed) || !("run_date" in parsed)) throw new BadRunRequestError(`${where} has no run_date`);
  return parsed.run_date;
}

function publishTimeOf(value: string | null, fallback: Date): Date {
  const t = value ? new Date(value) : fallback;
  return Number.isNaN(t.getTime()) ? fallback : t;
}

/**
 * An HTTP request -> RunRequest: a Pub/Sub push envelope (body.message, data = {"run_date": ...}),
 * or a manual call with {"run_date": ...} in the JSON body or `?run_date=` in the query.
 */
export function fromHttp(body: unknown, query: Record<string, unknown>, receivedAt: Date): RunRequest {
  if (isRecord(body) && "message" in body) {
    const m = parsePushEnvelope(body);
    if (typeof m === "string") throw new BadRunRequestError(m);
    return { requested: runDateOf(m.data, "message data"), requestedAt: publishTimeOf(m.publishTime, receivedAt), via: "push", messageId: m.messageId };
  }
  if (isRecord(body) && "run_date" in body) return { requested: body.run_date, requestedAt: receivedAt, via: "http" };
  if (typeof query.run_date === "string") return { requested: query.run_date, requestedAt: receivedAt, via: "http" };
  throw new BadRunRequestError('no run_date: POST {"run_date":"YYYY-MM-DD"} or a Pub/Sub push envelope carrying it');
}

/** A Pub/Sub CloudEvent (google.cloud.pubsub.topic.v1.messagePublished) -> RunRequest. */
export function fromCloudEvent(event: { data?: unknown; time?: string }, receivedAt: Date): RunRequest {
  const data = event.data;
  if (!isRecord(data) || !isRecord(data.message)) throw new BadRunRequestError("CloudEvent data has no Pub/Sub message");
  const m = data.message;
  if (typeof m.data !== "string") throw new BadRunRequestError("CloudEvent message has no data");
  const publishTime = typeof m.publishTime === "string" ? m.publishTime : (event.time ?? null);
  return {
    requested: runDateOf(Buffer.from(m.data, "base64"), "CloudEvent message data"),
    requestedAt: publishTimeOf(publishTime, receivedAt),
    via: "cloudevent",
    messageId: typeof m.messageId === "string" ? m.messageId : undefined,
  };
}
