import type { Row, Warehouse } from "../../functions/runtime/warehouse";
import type { MessagePublisher } from "./message-publisher";
import { Pacer } from "./pacer";
import { redriveMessage, type StoredMessage } from "./replay-message";
import type { ReplaySql } from "./replay-sql";

export interface RedriveOptions {
  /** Dead letters published at or after (RFC 3339). */
  from: string;
  /** Dead letters published before (RFC 3339). */
  to: string;
  /** Only letters of this reason (as ops.dead_letters_explained derives it). Default: every reason. */
  reason?: string | null;
  /** Include letters an earlier redrive already re-published. */
  force?: boolean;
  /** Count only; publish and record nothing. */
  dryRun?: boolean;
  /** Id of this run: the replay_run attribute and ops.redrives.redrive_id. */
  runId: string;
  /** Who runs it, recorded in ops.redrives. */
  operator: string;
  /** Messages per second, at most. */
  rate: number;
  now?: () => Date;
  onProgress?: (done: number, total: number) => void;
}

export interface RedriveSummary {
  runId: string;
  dryRun: boolean;
  /** Letters the filter selected. */
  letters: number;
  byReason: Record<string, number>;
  published: number;
  failed: { messageId: string; error: string }[];
  /** Rows written to ops.redrives. */
  recorded: number;
  wallMs: number;
}

/**
 * Re-publishes dead letters (after the cause was fixed) to the replay topic, then records each one
 * re-published in ops.redrives so the next run leaves it out unless forced. Two runs at once may both
 * re-publish a letter: harmless, the enrichment function and the dedup view key on event_id.
 */
export async function redriveDeadLetters(deps: { warehouse: Warehouse; sql: ReplaySql; publisher: MessagePublisher }, o: RedriveOptions): Promise<RedriveSummary> {
  const started = performance.now();
  if (!(Date.parse(o.from) < Date.parse(o.to))) throw new Error(`redrive window: --from ${o.from} must be before --to ${o.to}`);
  const window = { from_time: { type: "TIMESTAMP", value: o.from }, to_time: { type: "TIMESTAMP", value: o.to } } as const;
  const letters = (
    await deps.warehouse.query<StoredMessage & { reason: string | null } & Row>(deps.sql.deadLettersWindow, {
      ...window,
      reason: { type: "STRING", value: o.reason ?? null },
      force: { type: "BOOL", value: o.force === true },
    })
  ).rows;
  const byReason: Record<string, number> = {};
  for (const l of letters) byReason[l.reason ?? "(unknown)"] = (byReason[l.reason ?? "(unknown)"] ?? 0) + 1;
  const summary: RedriveSummary = { runId: o.runId, dryRun: o.dryRun === true, letters: letters.length, byReason, published: 0, failed: [], recorded: 0, wallMs: 0 };
  if (o.dryRun || letters.length === 0) return { ...summary, wallMs: Math.round(performance.now() - started) };

  const pacer = new Pacer(o.rate);
  const sent: { dead_letter_message_id: string; replay_message_id: string }[] = [];
  const sends: Promise<void>[] = [];
  for (const [i, l] of letters.entries()) {
    await pacer.next();
    sends.push(
      deps.publisher.publish(redriveMessage(l, o.runId)).then(
        (id) => void sent.push({ dead_letter_message_id: l.message_id, replay_message_id: id }),
        (e: unknown) => void summary.failed.push({ messageId: l.message_id, error: e instanceof Error ? e.message : String(e) }),
      ),
    );
    o.onProgress?.(i + 1, letters.length);
  }
  await Promise.all(sends);
  summary.published = sent.length;
  if (sent.length > 0) {
    const at = (o.now ?? (() => new Date()))().toISOString();
    const r = await deps.warehouse.query(deps.sql.recordRedrive, {
      redrive_id: { type: "STRING", value: o.runId },
      redriven_at: { type: "TIMESTAMP", value: at },
      operator: { type: "STRING", value: o.operator },
      reason_filter: { type: "STRING", value: o.reason ?? null },
      window_from: { type: "TIMESTAMP", value: o.from },
      window_to: { type: "TIMESTAMP", value: o.to },
      forced: { type: "BOOL", value: o.force === true },
      letters_json: { type: "STRING", value: JSON.stringify(sent) },
    });
    summary.recorded = r.affectedRows ?? sent.length;
  }
  return { ...summary, wallMs: Math.round(performance.now() - started) };
}
