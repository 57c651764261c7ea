import { appendFileSync } from "node:fs";
import type { TableId } from "../../contracts/table";
import type { InsertOptions, InsertResult, QueryParam, QueryResult, Row, Warehouse } from "../../functions/runtime/warehouse";

/** Env vars of the fault switch, read by local/functions/enrichment-entry.ts. */
export const FAULT_ENV = { ackWithoutWrite: "STREAMLINE_FAULT_ACK_WITHOUT_WRITE", recordFile: "STREAMLINE_FAULT_RECORD_FILE" } as const;

/**
 * A fault switch of the local pipeline: the first `count` rows bound for `table` are reported
 * written but never stored, so the enrichment function acks those events without writing them: the
 * loss the stream parity canary exists to find. Each dropped row's insertId is appended to
 * `recordFile` (one per line) so a test knows exactly which events were lost.
 */
export class AckWithoutWriteWarehouse implements Warehouse {
  private dropped = 0;

  constructor(
    private readonly inner: Warehouse,
    private readonly fault: { table: TableId; count: number; recordFile: string },
  ) {}

  async insertRows(table: TableId, rows: Row[], opts: InsertOptions = {}): Promise<InsertResult> {
    if (table !== this.fault.table || this.dropped >= this.fault.count) return this.inner.insertRows(table, rows, opts);
    const drop = Math.min(rows.length, this.fault.count - this.dropped);
    this.dropped += drop;
    const ids = (opts.insertIds ?? rows.map((_, i) => `row-${i}`)).slice(0, drop);
    appendFileSync(this.fault.recordFile, ids.map((id) => id + "\n").join(""));
    const kept = await this.inner.insertRows(table, rows.slice(drop), opts.insertIds ? { ...opts, insertIds: opts.insertIds.slice(drop) } : opts);
    // Failures of the kept rows keep their index in the caller's batch.
    return { inserted: drop + kept.inserted, failed: kept.failed.map((f) => ({ ...f, index: f.index + drop })) };
  }

  query<T extends Row = Row>(sql: string, params?: Record<string, QueryParam>): Promise<QueryResult<T>> {
    return this.inner.query<T>(sql, params);
  }
}

/** The warehouse behind the fault switch when FAULT_ENV asks for it (a clear error for a bad value); else `warehouse` itself. */
export function ackWithoutWriteFrom(env: NodeJS.ProcessEnv, warehouse: Warehouse): Warehouse {
  const count = Number(env[FAULT_ENV.ackWithoutWrite] ?? "0");
  const recordFile = env[FAULT_ENV.recordFile];
  if (!Number.isInteger(count) || count < 0) throw new Error(`${FAULT_ENV.ackWithoutWrite} must be an integer >= 0`);
  if (count === 0) return warehouse;
  if (!recordFile) throw new Error(`${FAULT_ENV.recordFile} is required with ${FAULT_ENV.ackWithoutWrite}`);
  return new AckWithoutWriteWarehouse(warehouse, { table: "curated.commerce_events", count, recordFile });
}
