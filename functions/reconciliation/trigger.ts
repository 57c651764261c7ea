import { RECONCILE_REQUEST_SHAPE, RUN_DATE_FIELD } from "../../contracts/reconcile-request";
import { parsePushEnvelope } from "../runtime/push-envelope";

/** What asked for a run: the requested run_date (unresolved) and the instant PREVIOUS_DAY counts from. */
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
    throw new BadRunRequestError(`${where} is not JSON: expected ${RECONCILE_REQUEST_SHAPE}`);
  }
  if (!isRecord(parsed) || !(RUN_DATE_FIELD in parsed)) throw new BadRunRequestError(`${where} has no ${RUN_DATE_FIELD}`);
  return parsed[RUN_DATE_FIELD];
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
  if (isRecord(body) && RUN_DATE_FIELD in body) return { requested: body[RUN_DATE_FIELD], requestedAt: receivedAt, via: "http" };
  const fromQuery = query[RUN_DATE_FIELD];
  if (typeof fromQuery === "string") return { requested: fromQuery, requestedAt: receivedAt, via: "http" };
  throw new BadRunRequestError(`no ${RUN_DATE_FIELD}: POST ${RECONCILE_REQUEST_SHAPE} or a Pub/Sub push envelope carrying it`);
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
