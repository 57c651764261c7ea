import type { Row } from "../../functions/runtime/warehouse";
import type { ZetaType } from "./types";
import type { TableVersions } from "./view-cache";

/** Rows per table, keyed by `dataset.table` (tables not given are empty). */
export type TableRows = Readonly<Record<string, readonly Row[]>>;

export interface ZetaSqlOptions {
  /** Project ids accepted in `project.dataset.table` names. Default: the project of every environment's config. */
  projects?: readonly string[];
  /** Folder of view definitions (one SELECT per file). Default: `<repo>/sql/views`; null for no views. */
  viewsDir?: string | null;
  /**
   * Send ZetaSQL only what a query reads: the columns it reads, the rows its simple filters keep,
   * views evaluated from filtered base rows (in pieces when large). Default true; false sends whole
   * tables, the reference the pushdown is tested against.
   */
  pushdown?: boolean;
  /**
   * Bound of the cache of evaluated views (view-cache.ts), in rows held over all cached views.
   * Only evaluations given a version token for every table they read are cached. Default 400,000
   * (two column sets of a 100k-event day, twice over); 0 disables.
   */
  viewCacheRows?: number;
}

/** Options of one evaluation. */
export interface EvaluateOptions {
  /** Version token per table given in `tables`; a view's evaluation is reused while its tables' tokens are unchanged. */
  versions?: TableVersions;
}

/** One EvaluateQuery request sent. */
export interface RequestStats {
  /** Exact serialized size, bytes (ZetaSQL refuses over 4 MiB). */
  bytes: number;
  /** Rows sent per table (`dataset.table`). */
  rows: Record<string, number>;
}

export interface OutputColumn {
  name: string;
  type: ZetaType;
}

export interface QueryOutput {
  columns: OutputColumn[];
  /** Plain JS rows: NUMERIC decimal strings, DATE 'YYYY-MM-DD', TIMESTAMP RFC 3339 UTC, INT64 numbers. */
  rows: Row[];
  /** The requests this evaluation sent (views and pieces included), in order. */
  requests?: RequestStats[];
}

export interface RowChange {
  operation: "INSERT" | "UPDATE" | "DELETE";
  /** The row after the change (INSERT, UPDATE). */
  row?: Row;
  /** Index of the changed row in the target table's input rows (UPDATE, DELETE). */
  index?: number;
}

export interface ModifyOutput {
  /** `dataset.table` the statement changed. */
  table: string;
  changes: RowChange[];
}

/** A resolved statement as ZetaSQL's Analyze returns it (AnyResolvedStatementProto, snake_case). */
export type ResolvedStatement = Record<string, unknown>;

export type StatementKind = "query" | "insert" | "update" | "delete" | "merge" | "other";
