import type { BigQuery } from "@google-cloud/bigquery";
import type { TableId } from "../../contracts/table";
import {
  TransientWarehouseError,
  type InsertOptions,
  type InsertResult,
  type QueryParam,
  type QueryResult,
  type Row,
  type RowFailure,
  type Warehouse,
} from "./warehouse";

/** The slice of the `@google-cloud/bigquery` client this adapter uses (the boundary tests fake). */
export interface BigQueryClient {
  dataset(id: string): { table(id: string): { insert(rows: unknown[], opts: object): Promise<unknown> } };
  createQueryJob(opts: object): Promise<[QueryJob, ...unknown[]]>;
}

interface QueryJob {
  getQueryResults(opts?: object): Promise<[Row[], ...unknown[]]>;
  metadata?: { statistics?: { totalBytesProcessed?: string; query?: { numDmlAffectedRows?: string } } };
}

// Per-row reasons of insertAll that may succeed on retry; "invalid" and friends never will.
const RETRYABLE_ROW_REASONS = new Set(["backendError", "internalError", "rateLimitExceeded", "timeout", "stopped", "quotaExceeded"]);
const RETRYABLE_HTTP = new Set([408, 429, 500, 502, 503, 504]);
const NETWORK_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EAI_AGAIN", "ENOTFOUND", "EPIPE", "ESOCKETTIMEDOUT"]);

interface PartialFailure {
  row: unknown;
  errors: { reason?: string; message?: string }[];
}

function isPartialFailure(e: unknown): e is { errors: PartialFailure[] } {
  return e instanceof Error && e.name === "PartialFailureError" && Array.isArray((e as { errors?: unknown }).errors);
}

/**
 * True for failures a retry may cure: HTTP 408/429/5xx, network errors, client timeouts, and
 * BigQuery's 403s whose reason is a rate or quota limit (rateLimitExceeded, quotaExceeded).
 */
export function isTransient(e: unknown): boolean {
  if (typeof e !== "object" || e === null) return false;
  const { code, name, errors } = e as { code?: unknown; name?: unknown; errors?: unknown };
  if (typeof code === "number" && RETRYABLE_HTTP.has(code)) return true;
  if (Array.isArray(errors) && errors.some((x) => RETRYABLE_ROW_REASONS.has((x as { reason?: string })?.reason ?? ""))) return true;
  if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
  return name === "AbortError" || name === "TimeoutError" || name === "FetchError";
}

/** big.js's shape (NUMERIC values), by duck type: a bundle minifies the class name away. */
function isBig(v: object): v is { toFixed(): string } {
  const b = v as { c?: unknown; e?: unknown; s?: unknown; toFixed?: unknown };
  return Array.isArray(b.c) && typeof b.e === "number" && typeof b.s === "number" && typeof b.toFixed === "function";
}

/** BigQuery query results wrap DATE/TIMESTAMP ({value}) and NUMERIC (Big); rows leave as plain JSON values. */
function plainValue(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if ("value" in v && typeof (v as { value: unknown }).value === "string") return (v as { value: string }).value;
  if (isBig(v)) return v.toFixed(); // plain notation always (String() turns 1e-8 into "1e-8")
  if (Buffer.isBuffer(v)) return v.toString("base64");
  return v;
}

export interface BigQueryWarehouseOptions {
  /** Client to use. Default: `new BigQuery({ projectId })`. */
  client?: BigQueryClient;
  /** Project that holds the datasets and runs the queries. */
  projectId: string;
  /** Dataset location for query jobs, e.g. "EU". */
  location?: string;
}

/**
 * Warehouse over BigQuery: streaming inserts with insertId per row (raw rows, mapped per row on a
 * partial failure) and parameterised queries with typed named parameters.
 */
export class BigQueryWarehouse implements Warehouse {
  private readonly client: BigQueryClient;

  constructor(private readonly opts: BigQueryWarehouseOptions) {
    this.client = opts.client ?? BigQueryWarehouse.defaultClient(opts.projectId);
  }

  private static defaultClient(projectId: string): BigQueryClient {
    // Required lazily so a function that never builds this adapter does not load the client.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { BigQuery: Client } = require("@google-cloud/bigquery") as { BigQuery: typeof BigQuery };
    return new Client({ projectId }) as unknown as BigQueryClient;
  }

  async insertRows(table: TableId, rows: Row[], opts: InsertOptions = {}): Promise<InsertResult> {
    if (rows.length === 0) return { inserted: 0, failed: [] };
    const [dataset, name] = table.split(".");
    const raw = rows.map((json, i) => (opts.insertIds ? { insertId: opts.insertIds[i], json } : { json }));
    try {
      // partialRetries 0: retrying is Pub/Sub's job (redelivery), so each row's outcome is reported once.
      await this.client.dataset(dataset).table(name).insert(raw, { raw: true, skipInvalidRows: true, partialRetries: 0 });
      return { inserted: rows.length, failed: [] };
    } catch (e) {
      if (isPartialFailure(e)) {
        const indexOf = new Map(raw.map((r, i) => [r as unknown, i]));
        const failed: RowFailure[] = e.errors.map((f) => {
          const reasons = f.errors.map((x) => x.reason ?? "unknown");
          return {
            index: indexOf.get(f.row) ?? -1,
            reason: f.errors.map((x) => `${x.reason ?? "unknown"}: ${x.message ?? ""}`).join("; "),
            retryable: reasons.every((r) => RETRYABLE_ROW_REASONS.has(r)),
          };
        });
        return { inserted: rows.length - failed.length, failed };
      }
      if (isTransient(e)) throw new TransientWarehouseError(`insert into ${table} failed: ${(e as Error).message}`, e);
      throw e;
    }
  }

  async query<T extends Row = Row>(sql: string, params: Record<string, QueryParam> = {}): Promise<QueryResult<T>> {
    const values = Object.fromEntries(Object.entries(params).map(([k, p]) => [k, p.value]));
    const types = Object.fromEntries(Object.entries(params).map(([k, p]) => [k, p.type]));
    try {
      const [job] = await this.client.createQueryJob({
        query: sql,
        params: values,
        types,
        useLegacySql: false,
        location: this.opts.location,
        defaultDataset: undefined,
      });
      const [rows] = await job.getQueryResults({ wrapIntegers: false });
      const stats = job.metadata?.statistics;
      return {
        rows: rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plainValue(v)])) as T),
        bytesProcessed: stats?.totalBytesProcessed !== undefined ? Number(stats.totalBytesProcessed) : undefined,
        affectedRows: stats?.query?.numDmlAffectedRows !== undefined ? Number(stats.query.numDmlAffectedRows) : undefined,
      };
    } catch (e) {
      if (isTransient(e)) throw new TransientWarehouseError(`query failed: ${(e as Error).message}`, e);
      throw e;
    }
  }
}
