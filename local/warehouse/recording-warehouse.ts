import { appendFileSync } from "node:fs";
import type { TableId } from "../../contracts/table";
import { TransientWarehouseError, type InsertOptions, type InsertResult, type QueryResult, type Row, type RowFailure, type Warehouse } from "../../functions/runtime/warehouse";

/** One JSON line per inserted row in the recording file. */
export interface RecordedInsert {
  table: TableId;
  insertId: string | null;
  row: Row;
  /** Which insert call carried it (1-based), so a reader can count rows per call. */
  call: number;
  /** When the insert call completed, epoch ms (benches measure publish -> sink with it). */
  recordedAtMs: number;
}

export interface RecordingWarehouseOptions {
  /** JSON-lines file each inserted row is appended to. Default: rows are only counted. */
  file?: string;
  /** Rows each `SELECT ... FROM <dataset.table>` answers with, keyed by table id. Default: none. */
  tables?: Record<string, Row[]>;
  /** Added to every insert call, like BigQuery's streaming insert latency, in ms. Default: 0. */
  insertDelayMs?: number;
  /**
   * Injected transient failures: insertId -> how many insert attempts of that row fail as retryable
   * before one succeeds (a huge number fails it forever). Default: none.
   */
  transientFailures?: Record<string, number>;
  /** insertIds whose rows are rejected as invalid (non-retryable) on every attempt. Default: none. */
  invalidRows?: string[];
  /** Fail the whole next N insert calls with a TransientWarehouseError. Default: 0. */
  failNextCalls?: number;
}

const FROM_TABLE = /\bFROM\s+`?(?:[\w-]+\.)?(\w+\.\w+)`?/i;

/**
 * A test double at the warehouse client boundary: records inserted rows (optionally to a JSON-lines
 * file a test reads) and answers reference-data SELECTs with seeded rows. It does not evaluate SQL:
 * a query gets every seeded row of the one table named after FROM. The local warehouse (ZetaSQL)
 * is the adapter that runs real SQL.
 */
export class RecordingWarehouse implements Warehouse {
  readonly inserted: RecordedInsert[] = [];
  insertCalls = 0;
  private readonly attempts = new Map<string, number>();
  private failNextCalls: number;

  constructor(private readonly opts: RecordingWarehouseOptions = {}) {
    this.failNextCalls = opts.failNextCalls ?? 0;
  }

  async insertRows(table: TableId, rows: Row[], opts: InsertOptions = {}): Promise<InsertResult> {
    const call = ++this.insertCalls;
    if (this.opts.insertDelayMs) await new Promise((r) => setTimeout(r, this.opts.insertDelayMs));
    if (this.failNextCalls > 0) {
      this.failNextCalls--;
      throw new TransientWarehouseError(`injected transient failure of insert call ${call}`);
    }
    const failed: RowFailure[] = [];
    const written: RecordedInsert[] = [];
    const recordedAtMs = Date.now();
    rows.forEach((row, index) => {
      const insertId = opts.insertIds?.[index] ?? null;
      if (insertId !== null) {
        const attempt = (this.attempts.get(insertId) ?? 0) + 1;
        this.attempts.set(insertId, attempt);
        if (this.opts.invalidRows?.includes(insertId)) {
          failed.push({ index, reason: "invalid: injected invalid row", retryable: false });
          return;
        }
        if (attempt <= (this.opts.transientFailures?.[insertId] ?? 0)) {
          failed.push({ index, reason: `backendError: injected transient failure, attempt ${attempt}`, retryable: true });
          return;
        }
      }
      written.push({ table, insertId, row, call, recordedAtMs });
    });
    this.inserted.push(...written);
    if (this.opts.file && written.length > 0) appendFileSync(this.opts.file, written.map((w) => JSON.stringify(w) + "\n").join(""));
    return { inserted: written.length, failed };
  }

  async query<T extends Row = Row>(sql: string): Promise<QueryResult<T>> {
    const table = FROM_TABLE.exec(sql)?.[1];
    if (!table) throw new Error(`recording warehouse answers only "SELECT ... FROM dataset.table", got: ${sql}`);
    return { rows: (this.opts.tables?.[table] ?? []) as T[] };
  }
}
