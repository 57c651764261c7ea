import { isReplayed } from "../../contracts/replay";
import type { DeadLetterPublisher } from "../runtime/dead-letter-publisher";
import type { Logger } from "../runtime/logger";
import { processMessage, type CoreOptions, type Enriched, type Poison } from "./core";
import type { CuratedWriter } from "./curated-writer";
import { deadLetterAttributes } from "./dead-letter-attributes";
import { poison } from "./decode";
import { parsePushEnvelope, type PushMessage } from "../runtime/push-envelope";
import type { RecentEventIds } from "./recent-event-ids";
import type { ReferenceData } from "./reference-data";

/** What the HTTP layer sends back: 2xx acks the message, anything else makes Pub/Sub redeliver. */
export interface PushResponse {
  status: number;
  body: string;
}

export interface EnrichmentDeps {
  options: CoreOptions;
  /** Current reference snapshot; a promise only until the first load (cold start). */
  references: { get(): ReferenceData | Promise<ReferenceData> };
  writer: CuratedWriter;
  deadLetters: DeadLetterPublisher;
  recent: RecentEventIds;
  logger: Logger;
  /** Clock in epoch ms. Default: Date.now. */
  now?: () => number;
}

export interface HandlerCounters {
  ok: number;
  poison: number;
  transient: number;
  duplicates_dropped: number;
  /** Dropped copies whose payload differs from the copy written (same event_id): a publisher problem. */
  conflicting_copies: number;
}

const ACK: PushResponse = { status: 204, body: "" };
const RETRY = (why: string): PushResponse => ({ status: 503, body: why });

/**
 * Push envelope -> ok (write), poison (dead-letter, then ack) or transient (non-2xx, Pub/Sub
 * redelivers). A message is acked only once it is written or safely dead-lettered.
 */
export class EnrichmentHandler {
  readonly counters: HandlerCounters = { ok: 0, poison: 0, transient: 0, duplicates_dropped: 0, conflicting_copies: 0 };
  // A redelivery that arrives while the first delivery is still being written waits for it.
  private readonly inflight = new Map<string, { fingerprint: string; response: Promise<PushResponse> }>();
  private readonly now: () => number;

  constructor(private readonly deps: EnrichmentDeps) {
    this.now = deps.now ?? Date.now;
  }

  // Written with then() rather than async/await: the Functions Framework runs each request in a
  // `domain`, which makes every promise cost ~4 µs of async hooks; this path creates two.
  handle(body: unknown, log: Logger = this.deps.logger): Promise<PushResponse> {
    const message = parsePushEnvelope(body);
    if (typeof message === "string") {
      // Not from Pub/Sub (it always sends an envelope): nothing to dead-letter or redeliver.
      log.error({ event: "malformed_envelope", error_detail: message }, "rejected a request that is not a Pub/Sub push envelope");
      return Promise.resolve({ status: 400, body: message });
    }
    let ref: ReferenceData | Promise<ReferenceData>;
    try {
      ref = this.deps.references.get();
    } catch (e) {
      return Promise.resolve(this.transient(message, "reference data unavailable", e, log));
    }
    // A promise only until the first reference load (cold start).
    if (ref instanceof Promise) return ref.then((r) => this.enrich(message, r, log), (e: unknown) => this.transient(message, "reference data unavailable", e, log));
    return this.enrich(message, ref, log);
  }

  private enrich(message: PushMessage, ref: ReferenceData, log: Logger): Promise<PushResponse> {
    const verdict = processMessage(message.data, ref, this.now(), this.deps.options);
    if (verdict.kind === "poison") return this.deadLetter(message, verdict, log);
    // Rows from the replay topic are marked, so readers and the reconciliation can tell them apart.
    if (isReplayed(message.attributes)) verdict.row.source = "replay";

    const written = this.deps.recent.writtenFingerprint(verdict.eventId);
    if (written !== undefined) return Promise.resolve(this.duplicate(message, verdict, written, log));
    const running = this.inflight.get(verdict.eventId);
    if (running) {
      // Counted and logged like any dropped duplicate (the local run's report counts the log lines).
      this.duplicate(message, verdict, running.fingerprint, log);
      return running.response;
    }
    const write = this.write(message, verdict, log);
    this.inflight.set(verdict.eventId, { fingerprint: verdict.fingerprint, response: write });
    return write;
  }

  /** Settles once the row is written (ack), dead-lettered or failed (retry); never rejects. */
  private write(message: PushMessage, verdict: Enriched, log: Logger): Promise<PushResponse> {
    const done = (response: PushResponse | Promise<PushResponse>) => {
      this.inflight.delete(verdict.eventId);
      return response;
    };
    let pending;
    try {
      pending = this.deps.writer.write(verdict);
    } catch (e) {
      // Settled on a later tick, so `done` runs after the caller has registered this write as in flight.
      return Promise.resolve().then(() => done(this.transient(message, "curated insert failed", e, log)));
    }
    return pending.then(
      (outcome) => {
        if (outcome.ok) {
          this.deps.recent.add(verdict.eventId, verdict.fingerprint);
          this.counters.ok++;
          return done(ACK);
        }
        if (outcome.retryable) return done(this.transient(message, `curated row failed: ${outcome.reason}`, undefined, log));
        // Still in flight while dead-lettering: a redelivery now joins this answer rather than writing again.
        return this.deadLetter(message, poison("rejected_by_warehouse", outcome.reason, "write"), log).then(done);
      },
      (e: unknown) => done(this.transient(message, "curated insert failed", e, log)),
    );
  }

  private duplicate(message: PushMessage, copy: Enriched, writtenFingerprint: string, log: Logger): PushResponse {
    this.counters.duplicates_dropped++;
    const conflicting = copy.fingerprint !== writtenFingerprint;
    if (conflicting) {
      // The first written wins (as in curated.commerce_events_dedup); the conflict is a publisher problem to see.
      this.counters.conflicting_copies++;
      log.warn(
        {
          event: "conflicting_copy",
          event_id: copy.eventId,
          message_id: message.messageId,
          written_fingerprint: writtenFingerprint,
          copy_fingerprint: copy.fingerprint,
          conflicting_copies: this.counters.conflicting_copies,
        },
        "dropped a copy of a written event whose payload differs from the written one",
      );
    }
    log.info(
      { event: "duplicate_dropped", event_id: copy.eventId, message_id: message.messageId, conflicting, duplicates_dropped: this.counters.duplicates_dropped },
      "dropped a redelivery of a recently written event",
    );
    return ACK;
  }

  private async deadLetter(message: PushMessage, verdict: Poison, log: Logger): Promise<PushResponse> {
    const attributes = deadLetterAttributes(message.attributes, verdict, message, this.deps.options.pipelineVersion, this.now());
    try {
      const dlqMessageId = await this.deps.deadLetters.publish(message.data, attributes);
      this.counters.poison++;
      log.warn(
        { event: "dead_lettered", reason: verdict.reason, stage: verdict.stage, error_detail: verdict.detail, message_id: message.messageId, dlq_message_id: dlqMessageId },
        `dead-lettered: ${verdict.reason}`,
      );
      return { status: 200, body: `dead-lettered: ${verdict.reason}` };
    } catch (e) {
      // Never ack what was not safely dead-lettered: let Pub/Sub redeliver it.
      return this.transient(message, "dead-letter publish failed", e, log);
    }
  }

  private transient(message: PushMessage, what: string, err: unknown, log: Logger): PushResponse {
    this.counters.transient++;
    log.warn(
      { event: "transient_failure", message_id: message.messageId, delivery_attempt: message.deliveryAttempt, err, transient: this.counters.transient },
      `${what}; Pub/Sub will redeliver`,
    );
    return RETRY(what);
  }
}
