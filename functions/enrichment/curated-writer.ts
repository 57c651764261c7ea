import { curatedCommerceEvents, tableId } from "../../contracts";
import { LOG_EVENTS, LOG_METRIC_FIELDS } from "../../contracts/log-events";
import { GroupCommit, type ItemOutcome } from "../runtime/group-commit";
import type { Logger } from "../runtime/logger";
import { distribution } from "../runtime/percentiles";
import type { Warehouse } from "../runtime/warehouse";
import type { Enriched } from "./core";

export const CURATED_TABLE = tableId(curatedCommerceEvents);

export interface CuratedWriterOptions {
  warehouse: Warehouse;
  /** Most rows per insert call (config enrichment.flushMaxRows). */
  flushMaxRows: number;
  /** Most JSON bytes per insert call (config enrichment.flushMaxBytes). */
  flushMaxBytes: number;
  /** Most insert calls in flight at once (config enrichment.flushConcurrency). */
  flushConcurrency: number;
  logger: Logger;
}

export interface WriterStats {
  flushes: number;
  rows: number;
}

// What one row adds to an insertAll request body: its JSON in UTF-8 plus the {"insertId":..,"json":..} wrapper.
const ROW_WRAPPER_BYTES = 32;
function requestBytes(e: Enriched): number {
  return Buffer.byteLength(JSON.stringify(e.row)) + Buffer.byteLength(e.eventId) + ROW_WRAPPER_BYTES;
}

/**
 * Writes curated rows through group commit, insertId = event_id. Each flush logs one structured
 * line with the batch's freshness (ingest_time - occurred_at p50/p99/max, seconds) for a
 * log-based metric.
 */
export class CuratedWriter {
  readonly stats: WriterStats = { flushes: 0, rows: 0 };
  private readonly commit: GroupCommit<Enriched>;

  constructor(private readonly opts: CuratedWriterOptions) {
    this.commit = new GroupCommit((items) => this.flush(items), { maxItems: opts.flushMaxRows, maxBytes: opts.flushMaxBytes, maxInFlight: opts.flushConcurrency }, requestBytes);
  }

  /** Resolves once the flush carrying this row finished; rejects when the whole insert failed. */
  write(item: Enriched): Promise<ItemOutcome> {
    return this.commit.submit(item);
  }

  private async flush(items: Enriched[]): Promise<ItemOutcome[]> {
    const started = Date.now();
    const result = await this.opts.warehouse.insertRows(
      CURATED_TABLE,
      items.map((i) => i.row),
      { insertIds: items.map((i) => i.eventId) },
    );
    const outcomes: ItemOutcome[] = items.map(() => ({ ok: true }));
    for (const f of result.failed) if (f.index >= 0 && f.index < items.length) outcomes[f.index] = { ok: false, retryable: f.retryable, reason: f.reason };
    // A failure the adapter could not pin to a row fails nothing silently: retry the whole batch.
    if (result.failed.some((f) => f.index < 0 || f.index >= items.length)) outcomes.fill({ ok: false, retryable: true, reason: "unattributed row failure" });
    this.stats.flushes++;
    this.stats.rows += items.length;
    const fresh = distribution(items.map((i) => i.freshnessMs / 1000));
    this.opts.logger.info(
      {
        event: LOG_EVENTS.curatedFlush,
        rows: items.length,
        failed_rows: outcomes.filter((o) => !o.ok).length,
        flush_ms: Date.now() - started,
        waiting_rows: this.commit.waiting,
        flushes_in_flight: this.commit.flushesInFlight,
        freshness_p50_s: fresh?.p50,
        [LOG_METRIC_FIELDS.freshnessP99]: fresh?.p99,
        freshness_max_s: fresh?.max,
      },
      "curated rows flushed",
    );
    return outcomes;
  }
}
