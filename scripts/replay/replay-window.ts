import type { Row, Warehouse } from "../../functions/runtime/warehouse";
import type { MessagePublisher } from "./message-publisher";
import { Pacer } from "./pacer";
import { replayMessage, type StoredMessage } from "./replay-message";
import type { ReplaySql } from "./replay-sql";

export interface ReplayWindowOptions {
  /** Window start (inclusive), RFC 3339. */
  from: string;
  /** Window end (exclusive), RFC 3339. */
  to: string;
  /** Id stamped into every replayed message's replay_run attribute. */
  runId: string;
  /** Messages per second, at most. */
  rate: number;
  /** Messages read per query. Default: 1000. */
  pageSize?: number;
  /** Count per hour only; publish nothing. */
  dryRun?: boolean;
  /** Called after each message is handed to the publisher, with the running count and the total. */
  onProgress?: (done: number, total: number) => void;
}

export interface ReplaySummary {
  runId: string;
  from: string;
  to: string;
  dryRun: boolean;
  /** Messages in the window per hour (UTC) of publish time. */
  hours: { hour: string; messages: number }[];
  /** Messages in the window. */
  messages: number;
  /** Messages Pub/Sub accepted. */
  published: number;
  /** Messages that could not be published (they stay in the mirror: re-run the window). */
  failed: { messageId: string; error: string }[];
  wallMs: number;
}

/** TIMESTAMP values come back as RFC 3339 strings (local) or as `{ value }` (BigQuery client). */
export const timestampText = (v: unknown): string => (v !== null && typeof v === "object" && "value" in v ? String((v as { value: unknown }).value) : String(v));

/**
 * Re-publishes the raw mirror's messages of a window, page by page in publish order, at most `rate`
 * per second, each with its original bytes and attributes plus replay_of / replay_run. Idempotent
 * downstream: the enrichment function and the dedup view key on event_id, so a window that is already
 * curated adds no rows to curated.commerce_events_dedup.
 */
export async function replayWindow(deps: { warehouse: Warehouse; sql: ReplaySql; publisher: MessagePublisher }, o: ReplayWindowOptions): Promise<ReplaySummary> {
  const started = performance.now();
  if (!(Date.parse(o.from) < Date.parse(o.to))) throw new Error(`replay window: --from ${o.from} must be before --to ${o.to}`);
  const window = { from_time: { type: "TIMESTAMP", value: o.from }, to_time: { type: "TIMESTAMP", value: o.to } } as const;
  const hours = (await deps.warehouse.query<{ hour: unknown; messages: number } & Row>(deps.sql.rawWindowHours, window)).rows.map((r) => ({
    hour: new Date(timestampText(r.hour)).toISOString(),
    messages: Number(r.messages),
  }));
  const messages = hours.reduce((a, h) => a + h.messages, 0);
  const summary: ReplaySummary = { runId: o.runId, from: o.from, to: o.to, dryRun: o.dryRun === true, hours, messages, published: 0, failed: [], wallMs: 0 };
  if (o.dryRun || messages === 0) return { ...summary, wallMs: Math.round(performance.now() - started) };

  const pacer = new Pacer(o.rate);
  const pageSize = o.pageSize ?? 1000;
  let after = { time: o.from, messageId: "" };
  let handed = 0;
  for (;;) {
    const page = (
      await deps.warehouse.query<StoredMessage & { publish_time: unknown } & Row>(deps.sql.rawWindowPage, {
        ...window,
        after_time: { type: "TIMESTAMP", value: after.time },
        after_message_id: { type: "STRING", value: after.messageId },
        page_size: { type: "INT64", value: pageSize },
      })
    ).rows;
    if (page.length === 0) break;
    const sends: Promise<void>[] = [];
    for (const m of page) {
      await pacer.next();
      const outgoing = replayMessage(m, o.runId);
      sends.push(
        deps.publisher.publish(outgoing).then(
          () => void summary.published++,
          (e: unknown) => void summary.failed.push({ messageId: m.message_id, error: e instanceof Error ? e.message : String(e) }),
        ),
      );
      o.onProgress?.(++handed, messages);
    }
    await Promise.all(sends);
    const last = page[page.length - 1];
    after = { time: timestampText(last.publish_time), messageId: last.message_id };
    if (page.length < pageSize) break;
  }
  return { ...summary, wallMs: Math.round(performance.now() - started) };
}
