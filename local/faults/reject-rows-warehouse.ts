import { appendFileSync } from "node:fs";
import type { TableId } from "../../contracts/table";
import type { InsertOptions, InsertResult, QueryParam, QueryResult, Row, RowFailure, Warehouse } from "../../functions/runtime/warehouse";

/** Env vars of the fault switch, read by local/functions/enrichment-entry.ts. */
export const REJECT_ROWS_ENV = { count: "STREAMLINE_FAULT_REJECT_ROWS", recordFile: "STREAMLINE_FAULT_REJECT_RECORD_FILE" } as const;

/** The reason a rejected row carries: what BigQuery says of a row its table refuses. */
export const REJECTED_ROW_REASON = "invalid: the table's rule (local fault switch, fixed by restarting without it) refuses this row";

/**
 * A fault switch of the local pipeline: the first `count` rows bound for `table` are refused as
 * invalid (not retryable), as BigQuery refuses rows a wrong table rule or a bad migration does not
 * accept. The deployed enrichment function dead-letters each (reason rejected_by_warehouse) and acks:
 * the case `npm run redrive` exists for once the rule is fixed, i.e. the function restarted without
 * the switch. Each refused row's insertId is appended to `recordFile` (one per line) so a test knows
 * exactly which events were dead-lettered.
 */
export class RejectRowsWarehouse implements Warehouse {
  private rejected = 0;

  constructor(
    private readonly inner: Warehouse,
    private readonly fault: { table: TableId; count: number; recordFile: string },
  ) {}

  async insertRows(table: TableId, rows: Row[], opts: InsertOptions = {}): Promise<InsertResult> {
    if (table !== this.fault.table || this.rejected >= this.fault.count) return this.inner.insertRows(table, rows, opts);
    const reject = Math.min(rows.length, this.fault.count - this.rejected);
    this.rejected += reject;
    const ids = (opts.insertIds ?? rows.map((_, i) => `row-${i}`)).slice(0, reject);
    appendFileSync(this.fault.recordFile, ids.map((id) => id + "\n").join(""));
    const refused: RowFailure[] = ids.map((_, index) => ({ index, reason: REJECTED_ROW_REASON, retryable: false }));
    const kept = await this.inner.insertRows(table, rows.slice(reject), opts.insertIds ? { ...opts, insertIds: opts.insertIds.slice(reject) } : opts);
    // Failures of the kept rows keep their index in the caller's batch.
    return { inserted: kept.inserted, failed: [...refused, ...kept.failed.map((f) => ({ ...f, index: f.index + reject }))] };
  }

  query<T extends Row = Row>(sql: string, params?: Record<string, QueryParam>): Promise<QueryResult<T>> {
    return this.inner.query<T>(sql, params);
  }
}

/** The warehouse behind the fault switch when REJECT_ROWS_ENV asks for it (a clear error for a bad value); else `warehouse` itself. */
export function rejectRowsFrom(env: NodeJS.ProcessEnv, warehouse: Warehouse): Warehouse {
  const count = Number(env[REJECT_ROWS_ENV.count] ?? "0");
  const recordFile = env[REJECT_ROWS_ENV.recordFile];
  if (!Number.isInteger(count) || count < 0) throw new Error(`${REJECT_ROWS_ENV.count} must be an integer >= 0`);
  if (count === 0) return warehouse;
  if (!recordFile) throw new Error(`${REJECT_ROWS_ENV.recordFile} is required with ${REJECT_ROWS_ENV.count}`);
  return new RejectRowsWarehouse(warehouse, { table: "curated.commerce_events", count, recordFile });
}
