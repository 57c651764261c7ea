import type { TableId } from "../../contracts/table";

/** BigQuery parameter types the SQL in `sql/` uses. */
export type ParamType = "STRING" | "INT64" | "FLOAT64" | "NUMERIC" | "BOOL" | "DATE" | "TIMESTAMP";

/** A named query parameter (`@run_date`), typed so both BigQuery and ZetaSQL bind it exactly. */
export interface QueryParam {
  type: ParamType;
  /** DATE "YYYY-MM-DD", TIMESTAMP RFC 3339, NUMERIC decimal string; null for a NULL of that type. */
  value: string | number | boolean | null;
}

export type Row = Record<string, unknown>;

export interface InsertOptions {
  /** One per row; a row whose insertId was already written (within the dedupe window) is skipped. */
  insertIds?: string[];
}

export interface RowFailure {
  /** Index into the rows passed to insertRows. */
  index: number;
  reason: string;
  /** True when retrying the same row may succeed (quota, backend error, timeout). */
  retryable: boolean;
}

export interface InsertResult {
  inserted: number;
  /** Per-row failures of a partial insert; the other rows were written. */
  failed: RowFailure[];
}

export interface QueryResult<T extends Row = Row> {
  rows: T[];
  /** Bytes the query processed, when the engine reports it (BigQuery). */
  bytesProcessed?: number;
  /** Rows changed by a DML statement. */
  affectedRows?: number;
}

/**
 * The warehouse port. Adapters: BigQuery (production) and the local, ZetaSQL-evaluated warehouse.
 * Transient failures (429, 5xx, timeouts) are thrown as {@link TransientWarehouseError}.
 */
export interface Warehouse {
  insertRows(table: TableId, rows: Row[], opts?: InsertOptions): Promise<InsertResult>;
  query<T extends Row = Row>(sql: string, params?: Record<string, QueryParam>): Promise<QueryResult<T>>;
}

/** A failure worth retrying: the caller should let the message be redelivered. */
export class TransientWarehouseError extends Error {
  constructor(message: string, readonly cause?: unknown) {
    super(message);
    this.name = "TransientWarehouseError";
  }
}
