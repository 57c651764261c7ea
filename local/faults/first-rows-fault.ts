import { appendFileSync } from "node:fs";
import type { TableId } from "../../contracts/table";
import type { InsertOptions, InsertResult, QueryParam, QueryResult, Row, RowFailure, Warehouse } from "../../functions/runtime/warehouse";

/** Which rows a first-rows fault takes: the first `count` bound for `table`; their insertIds go to `recordFile`. */
export interface FirstRowsFault {
  table: TableId;
  count: number;
  recordFile: string;
}

/**
 * A fault switch of the local pipeline that takes the first `count` rows bound for one table out of
 * the insert calls (their insertIds appended to `recordFile`, one per line, so a test knows exactly
 * which events were hit), passes the rest on, and lets the subclass say what the caller is told.
 */
export abstract class FirstRowsFaultWarehouse implements Warehouse {
  private taken = 0;

  constructor(
    private readonly inner: Warehouse,
    private readonly fault: FirstRowsFault,
  ) {}

  /** The answer for a call whose first rows (`takenIds`) were taken; the kept rows' failures keep their index in the caller's batch. */
  protected abstract answer(takenIds: string[], kept: InsertResult): InsertResult;

  async insertRows(table: TableId, rows: Row[], opts: InsertOptions = {}): Promise<InsertResult> {
    if (table !== this.fault.table || this.taken >= this.fault.count) return this.inner.insertRows(table, rows, opts);
    const n = Math.min(rows.length, this.fault.count - this.taken);
    this.taken += n;
    const ids = (opts.insertIds ?? rows.map((_, i) => `row-${i}`)).slice(0, n);
    appendFileSync(this.fault.recordFile, ids.map((id) => id + "\n").join(""));
    const kept = await this.inner.insertRows(table, rows.slice(n), opts.insertIds ? { ...opts, insertIds: opts.insertIds.slice(n) } : opts);
    const failed: RowFailure[] = kept.failed.map((f) => ({ ...f, index: f.index + n }));
    return this.answer(ids, { inserted: kept.inserted, failed });
  }

  query<T extends Row = Row>(sql: string, params?: Record<string, QueryParam>): Promise<QueryResult<T>> {
    return this.inner.query<T>(sql, params);
  }
}

/** The fault read from two env vars (a clear error for a bad value); undefined when the count is 0 or unset. */
export function firstRowsFaultFrom(env: NodeJS.ProcessEnv, names: { count: string; recordFile: string }): FirstRowsFault | undefined {
  const count = Number(env[names.count] ?? "0");
  const recordFile = env[names.recordFile];
  if (!Number.isInteger(count) || count < 0) throw new Error(`${names.count} must be an integer >= 0`);
  if (count === 0) return undefined;
  if (!recordFile) throw new Error(`${names.recordFile} is required with ${names.count}`);
  return { table: "curated.commerce_events", count, recordFile };
}
