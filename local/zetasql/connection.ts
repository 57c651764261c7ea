import type { ZetaSqlCatalogProto } from "../../contracts/derive/zetasql-catalog";
import type { ParamType, QueryParam, Row } from "../../functions/runtime/warehouse";
import type { OutputColumn, QueryOutput, RequestStats, ResolvedStatement, RowChange } from "./evaluation-types";
import { connectZetaSqlRpc, type ZetaSqlRpc } from "./grpc-client";
import { decodeRow, encodeParams, type EncodedTable } from "./table-encoding";
import { paramZetaType } from "./types";
import type { ValueProto } from "./values";

// BigQuery is ZetaSQL's external product mode; DML must be allowed explicitly.
const STATEMENT_KINDS = ["RESOLVED_QUERY_STMT", "RESOLVED_INSERT_STMT", "RESOLVED_DELETE_STMT", "RESOLVED_UPDATE_STMT", "RESOLVED_MERGE_STMT"];
// BigQuery's default time zone. ZetaSQL's own is America/Los_Angeles (TIMESTAMP(DATE '2024-05-04')
// would be 07:00Z); the analyzer options carry it to the evaluator too.
const BIGQUERY_DEFAULT_TIME_ZONE = "UTC";

type Params = Record<string, ParamType | QueryParam>;

/** A change EvaluateModify reports, as the server sends it (cells still encoded). */
export interface EncodedRowChange {
  operation: RowChange["operation"];
  cell?: ValueProto[];
  old_primary_key?: ValueProto[];
}

/**
 * The one place that calls ZetaSQL's RPCs, each with BigQuery's language options and defaults
 * (product mode, statement kinds, time zone), so no call can forget one.
 */
export class ZetaSqlConnection {
  private constructor(
    private readonly rpc: ZetaSqlRpc,
    /** The server's maximal language options in BigQuery's product mode; also the catalog's builtin function options. */
    readonly languageOptions: Record<string, unknown>,
  ) {}

  /** Connects to a running remote_server (see server.ts / session.ts). */
  static async connect(address: string): Promise<ZetaSqlConnection> {
    const rpc = await connectZetaSqlRpc(address);
    const maximal = await rpc.call<Record<string, unknown>>("GetLanguageOptions", { maximum_features: true });
    return new ZetaSqlConnection(rpc, { ...maximal, product_mode: "PRODUCT_EXTERNAL", supported_statement_kinds: STATEMENT_KINDS });
  }

  close(): void {
    this.rpc.close();
  }

  async parse(sql: string): Promise<unknown> {
    const r = await this.rpc.call<{ parsed_statement?: unknown }>("Parse", { sql_statement: sql, options: this.languageOptions });
    return r.parsed_statement;
  }

  /** Resolves one statement; `pruneUnusedColumns` leaves in each table scan's column_list only the columns the statement reads. */
  async analyze(catalog: ZetaSqlCatalogProto, sql: string, params: Params, opts: { pruneUnusedColumns?: boolean } = {}): Promise<ResolvedStatement> {
    const r = await this.rpc.call<{ resolved_statement?: ResolvedStatement }>("Analyze", {
      options: { ...this.analyzerOptions(params), ...(opts.pruneUnusedColumns ? { prune_unused_columns: true } : {}) },
      simple_catalog: catalog,
      sql_statement: sql,
    });
    return r.resolved_statement ?? {};
  }

  /** Sends one EvaluateQuery and records its exact size and rows per table in `requests`. */
  async evaluateQuery(
    sql: string,
    catalog: ZetaSqlCatalogProto,
    content: Record<string, EncodedTable>,
    params: Record<string, QueryParam>,
    requests: RequestStats[],
  ): Promise<QueryOutput> {
    const stats: RequestStats = { bytes: 0, rows: Object.fromEntries(Object.entries(content).map(([id, t]) => [id, t.table_data.row.length])) };
    requests.push(stats);
    const reply = await this.rpc.call<{ content?: { table_data?: { row?: { cell?: ValueProto[] }[] } }; prepared?: { columns?: OutputColumn[] } }>(
      "EvaluateQuery",
      { sql, options: this.analyzerOptions(params), simple_catalog: catalog, table_content: content, params: encodeParams(params) },
      { onRequestBytes: (n) => (stats.bytes = n) },
    );
    const columns = (reply.prepared?.columns ?? []).map((c) => ({ name: c.name, type: c.type }));
    const rows: Row[] = (reply.content?.table_data?.row ?? []).map((r) => decodeRow(r.cell ?? [], columns));
    return { columns, rows };
  }

  /** Sends one EvaluateModify (INSERT, UPDATE or DELETE); the changes come back encoded. */
  async evaluateModify(
    sql: string,
    catalog: ZetaSqlCatalogProto,
    content: Record<string, EncodedTable>,
    params: Record<string, QueryParam>,
  ): Promise<EncodedRowChange[]> {
    const reply = await this.rpc.call<{ content?: EncodedRowChange[] }>("EvaluateModify", {
      sql,
      options: this.analyzerOptions(params),
      simple_catalog: catalog,
      table_content: content,
      params: encodeParams(params),
    });
    return reply.content ?? [];
  }

  private analyzerOptions(params: Params) {
    return {
      language_options: this.languageOptions,
      default_timezone: BIGQUERY_DEFAULT_TIME_ZONE,
      query_parameters: Object.entries(params).map(([name, p]) => ({ name, type: paramZetaType(typeof p === "string" ? p : p.type) })),
    };
  }
}
