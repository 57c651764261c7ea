import { existsSync, readFileSync, readdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { ENVIRONMENTS, loadConfig } from "../../config";
import { TABLES } from "../../contracts/tables";
import { toCatalogTable, toZetaSqlCatalog, type CatalogTable, type ZetaSqlCatalogProto } from "../../contracts/derive/zetasql-catalog";
import type { ParamType, QueryParam, Row } from "../../functions/runtime/warehouse";
import { connectZetaSqlRpc, ZetaSqlError, type ZetaSqlRpc } from "./grpc-client";
import { mergeAsInsert } from "./merge-as-insert";
import { parseSqlHeader } from "./sql-header";
import { canonicaliseTableRefs, findTableRefs } from "./table-refs";
import { paramZetaType, type ZetaType } from "./types";
import { decodeValue, encodeValue, type ValueProto } from "./values";
import { bucketHash } from "./farm-fingerprint";
import { ZETASQL_REQUEST_LIMIT_BYTES, rowBytes } from "./request-size";
import type { RowPredicate } from "./row-predicate";
import { readPlan, rowFilterKey, rowFilterReads, tableRowFilter, type TableReadPlan } from "./scan-plan";
import { ViewCache, type TableVersions } from "./view-cache";
import { viewShape, type ViewShape } from "./view-shape";

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

/** A view from sql/views: its name, its SELECT and its output columns (as the analyser resolved them). */
export interface CatalogView extends CatalogTable {
  sql: string;
}

/** A resolved statement as ZetaSQL's Analyze returns it (AnyResolvedStatementProto, snake_case). */
export type ResolvedStatement = Record<string, unknown>;

export type StatementKind = "query" | "insert" | "update" | "delete" | "merge" | "other";

const STATEMENT_NODES: Record<string, StatementKind> = {
  ast_query_statement_node: "query",
  ast_insert_statement_node: "insert",
  ast_update_statement_node: "update",
  ast_delete_statement_node: "delete",
  ast_merge_statement_node: "merge",
};

const STATEMENT_KINDS = ["RESOLVED_QUERY_STMT", "RESOLVED_INSERT_STMT", "RESOLVED_DELETE_STMT", "RESOLVED_UPDATE_STMT", "RESOLVED_MERGE_STMT"];
// Extra primary-key column given to a DELETE/UPDATE target so ZetaSQL reports which input rows changed.
const ROW_INDEX_COLUMN = "__streamline_row_index";
// BigQuery's default time zone, for every analysis and evaluation (the analyzer options carry it to the evaluator).
const BIGQUERY_DEFAULT_TIME_ZONE = "UTC";
const REPO_ROOT = resolve(__dirname, "..", "..");

/**
 * BigQuery SQL through ZetaSQL: analysis against the contract catalog and reference evaluation over
 * rows passed in. One instance per connection; the catalog (tables + sql/views) is built once.
 */
export class ZetaSql {
  private catalogPromise?: Promise<BuiltCatalog>;
  private readonly viewShapes = new Map<string, ViewShape>();
  private readonly viewCache: ViewCache;

  private constructor(
    private readonly rpc: ZetaSqlRpc,
    private readonly languageOptions: Record<string, unknown>,
    private readonly opts: ZetaSqlOptions,
  ) {
    this.viewCache = new ViewCache(opts.viewCacheRows ?? 400_000);
  }

  /** Connects to a running remote_server (see server.ts / session.ts). */
  static async connect(address: string, opts: ZetaSqlOptions = {}): Promise<ZetaSql> {
    const rpc = await connectZetaSqlRpc(address);
    const maximal = await rpc.call<Record<string, unknown>>("GetLanguageOptions", { maximum_features: true });
    // BigQuery is ZetaSQL's external product mode; DML must be allowed explicitly.
    const languageOptions = { ...maximal, product_mode: "PRODUCT_EXTERNAL", supported_statement_kinds: STATEMENT_KINDS };
    return new ZetaSql(rpc, languageOptions, opts);
  }

  close(): void {
    this.rpc.close();
  }

  /** Tables and views of the catalog, keyed by `dataset.table`. */
  async catalogTables(): Promise<Map<string, CatalogTable>> {
    return (await this.catalog()).tables;
  }

  async views(): Promise<Map<string, CatalogView>> {
    return (await this.catalog()).views;
  }

  /** Resolves one statement; throws ZetaSqlError with ZetaSQL's own message when it does not resolve. */
  async analyze(sql: string, opts: { params?: Record<string, ParamType | QueryParam> } = {}): Promise<ResolvedStatement> {
    const { proto } = await this.catalog();
    return this.analyzeWith(proto, sql, opts.params ?? {});
  }

  /**
   * `dataset.table` of every catalog table or view the statement reads or writes, from its parse
   * tree; with `throughViews` (default) also the tables the referenced views read.
   */
  async referencedTables(sql: string, opts: { throughViews?: boolean } = {}): Promise<string[]> {
    const { tables, views } = await this.catalog();
    const found = new Set<string>();
    const visit = async (text: string): Promise<void> => {
      for (const r of findTableRefs(await this.parse(text), new Set(tables.keys()))) {
        if (found.has(r.id)) continue;
        found.add(r.id);
        const view = views.get(r.id);
        if (view && opts.throughViews !== false) await visit(view.sql);
      }
    };
    await visit(sql);
    return [...found];
  }

  /** What kind of statement this is, from its parse tree. */
  async statementKind(sql: string): Promise<StatementKind> {
    const node = Object.keys((await this.parse(sql)) ?? {})[0] ?? "";
    return STATEMENT_NODES[node] ?? "other";
  }

  /**
   * Executes a query over the given rows. With pushdown (the default) each request carries only the
   * columns the query reads and the rows its simple filters can keep (see scan-plan.ts); a view is
   * evaluated first, from its base rows, and its result is sent as a table (see view-shape.ts).
   */
  async evaluateQuery(sql: string, tables: TableRows = {}, params: Record<string, QueryParam> = {}, opts: EvaluateOptions = {}): Promise<QueryOutput> {
    const requests: RequestStats[] = [];
    const out =
      this.opts.pushdown === false ? await this.evaluateWhole(sql, tables, params, requests) : await this.evaluatePruned(sql, tables, params, requests, {}, opts.versions);
    return { ...out, requests };
  }

  /** The reference path: whole tables, views evaluated whole. */
  private async evaluateWhole(sql: string, tables: TableRows, params: Record<string, QueryParam>, requests: RequestStats[]): Promise<QueryOutput> {
    const cat = await this.catalog();
    const { text, ids } = await this.canonical(sql);
    const content: Record<string, EncodedTable> = {};
    for (const id of ids) {
      const view = cat.views.get(id);
      const rows = view && tables[id] === undefined ? (await this.evaluateWhole(view.sql, tables, {}, requests)).rows : (tables[id] ?? []);
      content[id] = encodeTable(id, cat.tables.get(id)!.columns, rows);
    }
    return this.send(text, cat.proto, content, params, requests);
  }

  private async evaluatePruned(
    sql: string,
    tables: TableRows,
    params: Record<string, QueryParam>,
    requests: RequestStats[],
    pushed: PushedIntoTables,
    versions?: TableVersions,
  ): Promise<QueryOutput> {
    const cat = await this.catalog();
    const { text, ids } = await this.canonical(sql);
    const plans = readPlan(await this.analyzeWith(cat.proto, text, params, { pruneUnusedColumns: true }));
    const encodedParams = new Map(encodeParams(params).map((p) => [p.name, p.value]));
    const parts: PrunedTable[] = [];
    for (const id of ids) {
      const plan = plans.get(id) ?? { columns: new Set(cat.tables.get(id)!.columns.map((c) => c.name)), scans: [] };
      const keep = pushed[id]?.columns ?? plan.columns;
      const columns = cat.tables.get(id)!.columns.filter((c) => keep.has(c.name));
      const view = cat.views.get(id);
      const rows = view && tables[id] === undefined ? await this.materializeView(view, plan, tables, params, requests, versions) : (tables[id] ?? []);
      const cellIndex = new Map(columns.map((c, i) => [c.name, i]));
      const filters = [tableRowFilter(plan, cellIndex, encodedParams), pushed[id]?.filter(cellIndex)].filter((f) => f !== undefined);
      const reads = new Set([...rowFilterReads(plan, cellIndex), ...(pushed[id]?.reads(cellIndex) ?? [])]);
      parts.push({ id, columns, rows: encodeRows(id, columns, rows, (cells) => filters.every((f) => f(cells)), reads) });
    }
    // A pruned catalog must resolve the statement as the full one did (e.g. SELECT * EXCEPT (c) names
    // an unread c); when it does not, evaluate with whole tables.
    const catalog = this.prunedCatalog(cat, parts);
    try {
      await this.analyzeWith(catalog, text, params);
    } catch {
      return this.evaluateWhole(sql, tables, params, requests);
    }
    const split = Object.entries(pushed).find(([, p]) => p.splitKey !== undefined);
    const budget = ZETASQL_REQUEST_LIMIT_BYTES - REQUEST_OVERHEAD_BYTES - Buffer.byteLength(JSON.stringify(catalog));
    const total = parts.reduce((n, p) => n + p.rows.bytes, 0);
    if (total <= budget || !split) {
      if (total > budget) throw new ZetaSqlError(tooLarge(parts, budget));
      return this.send(text, catalog, Object.fromEntries(parts.map((p) => [p.id, p.rows.table])), params, requests);
    }
    // Evaluate in pieces: the split table's rows by their partition key, the other tables whole.
    const [splitId, { splitKey }] = split;
    const splitPart = parts.find((p) => p.id === splitId)!;
    const others = total - splitPart.rows.bytes;
    if (others >= budget) throw new ZetaSqlError(tooLarge(parts, budget));
    // A margin for uneven hashing; a piece still too large is refused by the server with the sizes explained.
    const pieces = Math.ceil((1.25 * splitPart.rows.bytes) / (budget - others));
    const keyIndexes = splitKey!.map((k) => splitPart.columns.findIndex((c) => c.name === k));
    const buckets: { cell: ValueProto[] }[][] = Array.from({ length: pieces }, () => []);
    splitPart.rows.table.table_data.row.forEach((row, i) => {
      const bucket = keyIndexes.length === 0 ? i % pieces : Number(bucketHash(JSON.stringify(keyIndexes.map((k) => row.cell[k]))) % BigInt(pieces));
      buckets[bucket].push(row);
    });
    let columns: OutputColumn[] = [];
    const rows: Row[] = [];
    for (const bucket of buckets) {
      const content = Object.fromEntries(parts.map((p) => [p.id, p === splitPart ? { table_data: { row: bucket } } : p.rows.table]));
      const out = await this.send(text, catalog, content, params, requests);
      columns = out.columns;
      rows.push(...out.rows);
    }
    return { columns, rows };
  }

  /**
   * A view's rows for one reading query: only the columns the query reads of it (plus what the view
   * itself reads), base rows filtered by the reader's conjuncts that are exact below the view, and
   * evaluated in pieces split by its window partition key when too large for one request. Reused
   * from the view cache when the same columns, pushed filter and table versions shaped it before.
   */
  private async materializeView(
    view: CatalogView,
    readerPlan: TableReadPlan,
    tables: TableRows,
    params: Record<string, QueryParam>,
    requests: RequestStats[],
    versions: TableVersions | undefined,
  ): Promise<readonly Row[]> {
    const shape = await this.viewShape(view);
    if (!shape.baseTable) {
      // Evaluated whole from its tables (a view given as rows counts as a table).
      const { views } = await this.catalog();
      const read = (await this.referencedTables(view.sql)).filter((id) => id !== view.id && (!views.has(id) || tables[id] !== undefined));
      const key = this.viewCache.key({ view: view.id, columns: [], filter: "", tables: read }, versions);
      return this.viewCache.rows(key, async () => (await this.evaluatePruned(view.sql, tables, {}, requests, {}, versions)).rows);
    }
    const baseColumns = new Set(shape.referenced);
    for (const c of readerPlan.columns) baseColumns.add(shape.passthrough.get(c) ?? "");
    // Computed view columns read columns the view references: already in `referenced`.
    baseColumns.delete("");
    const encodedParams = new Map(encodeParams(params).map((p) => [p.name, p.value]));
    // Reader conjuncts on pushable view columns, re-targeted at the base columns they pass through.
    const pushedBelow = (cellIndex: ReadonlyMap<string, number>) => {
      const viewCellIndex = new Map([...shape.pushable].filter(([, base]) => cellIndex.has(base)).map(([v, base]) => [v, cellIndex.get(base)!]));
      const below: TableReadPlan = {
        columns: readerPlan.columns,
        scans: readerPlan.scans.map((scan) => ({ ...scan, columns: scan.columns.filter((c) => viewCellIndex.has(c.name)) })),
      };
      return { below, viewCellIndex };
    };
    const filter = (cellIndex: ReadonlyMap<string, number>) => {
      const { below, viewCellIndex } = pushedBelow(cellIndex);
      return tableRowFilter(below, viewCellIndex, encodedParams);
    };
    const reads = (cellIndex: ReadonlyMap<string, number>) => {
      const { below, viewCellIndex } = pushedBelow(cellIndex);
      return rowFilterReads(below, viewCellIndex);
    };
    const pushed: PushedIntoTables = {
      [shape.baseTable]: { columns: baseColumns, filter, reads, ...(shape.splittable ? { splitKey: shape.splitKey } : {}) },
    };
    // The base cells sent are exactly baseColumns: the key's filter is the one `filter` builds.
    const { below, viewCellIndex } = pushedBelow(new Map([...baseColumns].map((c, i) => [c, i])));
    const key = this.viewCache.key({ view: view.id, columns: baseColumns, filter: rowFilterKey(below, viewCellIndex, encodedParams), tables: [shape.baseTable] }, versions);
    return this.viewCache.rows(key, async () => (await this.evaluatePruned(view.sql, tables, {}, requests, pushed, versions)).rows);
  }

  private async viewShape(view: CatalogView): Promise<ViewShape> {
    let shape = this.viewShapes.get(view.id);
    if (!shape) {
      const cat = await this.catalog();
      shape = viewShape(await this.analyzeWith(cat.proto, (await this.canonical(view.sql)).text, {}));
      this.viewShapes.set(view.id, shape);
    }
    return shape;
  }

  /** The catalog with each sent table declaring only the columns sent (in catalog order). */
  private prunedCatalog(cat: BuiltCatalog, parts: readonly PrunedTable[]): ZetaSqlCatalogProto {
    const pruned = new Map(parts.map((p) => [p.id, p.columns]));
    const tables = [...cat.tables.values()].map((t) => (pruned.has(t.id) ? { ...t, columns: pruned.get(t.id)! } : t));
    return { ...toZetaSqlCatalog(tables, { projects: cat.projects }), builtin_function_options: { language_options: this.languageOptions } };
  }

  private async send(
    text: string,
    catalog: ZetaSqlCatalogProto,
    content: Record<string, EncodedTable>,
    params: Record<string, QueryParam>,
    requests: RequestStats[],
  ): Promise<QueryOutput> {
    const stats: RequestStats = { bytes: 0, rows: Object.fromEntries(Object.entries(content).map(([id, t]) => [id, t.table_data.row.length])) };
    requests.push(stats);
    const reply = await this.rpc.call<{ content?: { table_data?: { row?: { cell?: ValueProto[] }[] } }; prepared?: { columns?: OutputColumn[] } }>(
      "EvaluateQuery",
      { sql: text, options: this.analyzerOptions(params), simple_catalog: catalog, table_content: content, params: encodeParams(params) },
      { onRequestBytes: (n) => (stats.bytes = n) },
    );
    const columns = (reply.prepared?.columns ?? []).map((c) => ({ name: c.name, type: c.type }));
    const rows = (reply.content?.table_data?.row ?? []).map((r) => decodeRow(r.cell ?? [], columns));
    return { columns, rows };
  }

  /**
   * Executes INSERT, UPDATE or DELETE over the given rows and returns the changes to apply.
   * ZetaSQL cannot execute MERGE; the insert-if-missing shape is rewritten (merge-as-insert.ts).
   */
  async evaluateModify(sql: string, tables: TableRows = {}, params: Record<string, QueryParam> = {}): Promise<ModifyOutput> {
    const cat = await this.catalog();
    const tree = await this.parse(sql);
    const stmt = Object.keys((tree as Record<string, unknown>) ?? {})[0] ?? "";
    if (stmt === "ast_merge_statement_node") {
      let insert: string;
      try {
        insert = mergeAsInsert(sql, (tree as Record<string, Record<string, unknown>>)[stmt]);
      } catch (e) {
        throw new ZetaSqlError((e as Error).message);
      }
      return this.evaluateModify(insert, tables, params);
    }
    const refs = findTableRefs(tree, new Set(cat.tables.keys()));
    const text = canonicaliseTableRefs(sql, refs);
    const target = findTableRefs(pick(tree, "target_path"), new Set(cat.tables.keys()))[0]?.id;
    if (!target || cat.views.has(target)) throw new ZetaSqlError(`a DML statement must target a catalog table, got: ${sql.slice(0, 120)}`);
    const ids = [...new Set(refs.map((r) => r.id))];
    const content = await this.contentFor(ids, tables, new Map());
    const columns = cat.tables.get(target)!.columns;
    let catalog = cat.proto;
    const keyed = stmt !== "ast_insert_statement_node";
    if (keyed) {
      // The target gets a row-index primary key so ZetaSQL names the rows it deleted or updated.
      catalog = withRowIndex(cat.proto, target, columns.length);
      const rows = content[target]?.table_data.row ?? [];
      rows.forEach((r, i) => r.cell.push({ int64_value: String(i) }));
    }
    const reply = await this.rpc.call<{ table_name?: string; content?: { operation: RowChange["operation"]; cell?: ValueProto[]; old_primary_key?: ValueProto[] }[] }>(
      "EvaluateModify",
      { sql: text, options: this.analyzerOptions(params), simple_catalog: catalog, table_content: content, params: encodeParams(params) },
    );
    const changes = (reply.content ?? []).map((c): RowChange => {
      const change: RowChange = { operation: c.operation };
      if (c.cell && c.operation !== "DELETE") change.row = decodeRow(c.cell.slice(0, columns.length), columns);
      if (keyed && c.old_primary_key?.[0]) change.index = Number(c.old_primary_key[0].int64_value);
      return change;
    });
    return { table: target, changes };
  }

  private analyzerOptions(params: Record<string, ParamType | QueryParam>) {
    return {
      language_options: this.languageOptions,
      // ZetaSQL's own default is America/Los_Angeles: TIMESTAMP(DATE '2024-05-04') would be 07:00Z.
      default_timezone: BIGQUERY_DEFAULT_TIME_ZONE,
      query_parameters: Object.entries(params).map(([name, p]) => ({ name, type: paramZetaType(typeof p === "string" ? p : p.type) })),
    };
  }

  private analyzeWith(
    catalog: ZetaSqlCatalogProto,
    sql: string,
    params: Record<string, ParamType | QueryParam>,
    opts: { pruneUnusedColumns?: boolean } = {},
  ): Promise<ResolvedStatement> {
    return this.rpc
      .call<{ resolved_statement?: ResolvedStatement }>("Analyze", {
        // Pruned: each table scan's column_list holds only the columns the statement reads.
        options: { ...this.analyzerOptions(params), ...(opts.pruneUnusedColumns ? { prune_unused_columns: true } : {}) },
        simple_catalog: catalog,
        sql_statement: sql,
      })
      .then((r) => r.resolved_statement ?? {});
  }

  private async parse(sql: string): Promise<unknown> {
    const r = await this.rpc.call<{ parsed_statement?: unknown }>("Parse", { sql_statement: sql, options: this.languageOptions });
    return r.parsed_statement;
  }

  private async canonical(sql: string): Promise<{ text: string; ids: string[] }> {
    const { tables } = await this.catalog();
    const refs = findTableRefs(await this.parse(sql), new Set(tables.keys()));
    return { text: canonicaliseTableRefs(sql, refs), ids: [...new Set(refs.map((r) => r.id))] };
  }

  /** Table contents for the referenced ids; a referenced view is materialised by evaluating its SQL. */
  private async contentFor(ids: string[], tables: TableRows, views: Map<string, Row[]>): Promise<Record<string, EncodedTable>> {
    const cat = await this.catalog();
    const content: Record<string, EncodedTable> = {};
    for (const id of ids) {
      const view = cat.views.get(id);
      let rows: readonly Row[] | undefined = tables[id];
      if (view && rows === undefined) {
        if (!views.has(id)) views.set(id, (await this.evaluateQuery(view.sql, tables)).rows);
        rows = views.get(id);
      }
      content[id] = encodeTable(id, cat.tables.get(id)!.columns, rows ?? []);
    }
    return content;
  }

  private catalog() {
    this.catalogPromise ??= this.buildCatalog();
    return this.catalogPromise;
  }

  private async buildCatalog() {
    const projects = this.opts.projects ?? ENVIRONMENTS.map((e) => loadConfig(e).project);
    const tables = new Map<string, CatalogTable>(TABLES.map((t) => [`${t.dataset}.${t.table}`, toCatalogTable(t)]));
    const views = new Map<string, CatalogView>();
    const pending = loadViewFiles(this.opts.viewsDir === undefined ? join(REPO_ROOT, "sql", "views") : this.opts.viewsDir);
    // Views may read views: resolve in rounds until no more resolve.
    const catalogProto = () => ({
      ...toZetaSqlCatalog([...tables.values()], { projects }),
      // The same language options as the analyser, so every BigQuery function it allows exists.
      builtin_function_options: { language_options: this.languageOptions },
    });
    let lastErrors: string[] = [];
    while (pending.length > 0) {
      const proto = catalogProto();
      lastErrors = [];
      for (const v of [...pending]) {
        try {
          const stmt = await this.analyzeWith(proto, v.sql, {});
          const out = (stmt.resolved_query_stmt_node as { output_column_list?: { name: string; column: { type: ZetaType } }[] } | undefined)?.output_column_list;
          if (!out) throw new ZetaSqlError("a view must be a single SELECT");
          const view = { id: v.id, sql: v.sql, columns: out.map((c) => ({ name: c.name, type: c.column.type })) };
          views.set(v.id, view);
          tables.set(v.id, view);
          pending.splice(pending.indexOf(v), 1);
        } catch (e) {
          lastErrors.push(`${v.file}: ${(e as Error).message}`);
        }
      }
      if (pending.length > 0 && lastErrors.length === pending.length) throw new ZetaSqlError(`views in sql/views do not resolve:\n${lastErrors.join("\n")}`);
    }
    return { proto: catalogProto(), tables, views, projects };
  }
}

interface EncodedTable {
  table_data: { row: { cell: ValueProto[] }[] };
}

interface BuiltCatalog {
  proto: ZetaSqlCatalogProto;
  tables: Map<string, CatalogTable>;
  views: Map<string, CatalogView>;
  projects: readonly string[];
}

/** What a view pushes into its base table: the columns to send, a row filter (and the cells it reads), and how to split it. */
type PushedIntoTables = Record<
  string,
  {
    columns: Set<string>;
    filter: (cellIndex: ReadonlyMap<string, number>) => RowPredicate | undefined;
    reads: (cellIndex: ReadonlyMap<string, number>) => number[];
    splitKey?: string[];
  }
>;

interface PrunedTable {
  id: string;
  columns: CatalogTable["columns"];
  rows: { table: EncodedTable; bytes: number };
}

// Room in a request for the SQL text, options and parameters besides the catalog and table rows, bytes.
const REQUEST_OVERHEAD_BYTES = 128 * 1024;

/**
 * Encodes the given columns of each row; rows `keep` rejects are not sent. The cells `keep` reads
 * (`reads`, cell indexes) are encoded first, the others only for kept rows: a shard keeps a few
 * percent of a day, and encoding every cell of every row dominated a shard's time.
 */
function encodeRows(
  id: string,
  columns: CatalogTable["columns"],
  rows: readonly Row[],
  keep: RowPredicate,
  reads: ReadonlySet<number>,
): { table: EncodedTable; bytes: number } {
  const out: { cell: ValueProto[] }[] = [];
  let bytes = 0;
  const encode = (row: Row, i: number, k: number) => {
    const c = columns[k];
    try {
      return encodeValue(row[c.name], c.type as ZetaType);
    } catch (e) {
      throw new ZetaSqlError(`row ${i} of ${id}, column ${c.name}: ${(e as Error).message}`);
    }
  };
  const first = [...reads];
  const rest = columns.map((_, k) => k).filter((k) => !reads.has(k));
  rows.forEach((row, i) => {
    const cell: ValueProto[] = new Array<ValueProto>(columns.length);
    for (const k of first) cell[k] = encode(row, i, k);
    if (!keep(cell)) return;
    for (const k of rest) cell[k] = encode(row, i, k);
    out.push({ cell });
    bytes += rowBytes(cell);
  });
  return { table: { table_data: { row: out } }, bytes };
}

function tooLarge(parts: readonly PrunedTable[], budget: number): string {
  const sizes = parts.map((p) => `${p.id}: ${p.rows.table.table_data.row.length} rows x ${p.columns.length} columns ~${p.rows.bytes} bytes`);
  return (
    `the query needs more rows than one ZetaSQL request can carry (4 MiB; ~${budget} bytes for rows): ${sizes.join(", ")}. ` +
    "Filter each table more narrowly right where it is read (its partition column, or a hash shard such as MOD(ABS(FARM_FINGERPRINT(key)), @shard_count) = @shard)"
  );
}

function loadViewFiles(dir: string | null): { id: string; sql: string; file: string }[] {
  if (!dir || !existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      const sql = readFileSync(file, "utf8");
      // Default dataset: curated, where the dedup view lives; `-- @view dataset.name` overrides.
      return { id: parseSqlHeader(sql, file).view ?? `curated.${basename(f, ".sql")}`, sql, file };
    });
}

function encodeTable(id: string, columns: CatalogTable["columns"], rows: readonly Row[]): EncodedTable {
  const known = new Set(columns.map((c) => c.name));
  return {
    table_data: {
      row: rows.map((row, i) => {
        for (const k of Object.keys(row)) if (!known.has(k)) throw new ZetaSqlError(`row ${i} of ${id} has unknown column ${k}`);
        return {
          cell: columns.map((c) => {
            try {
              return encodeValue(row[c.name], c.type as ZetaType);
            } catch (e) {
              throw new ZetaSqlError(`row ${i} of ${id}, column ${c.name}: ${(e as Error).message}`);
            }
          }),
        };
      }),
    },
  };
}

function decodeRow(cells: ValueProto[], columns: OutputColumn[]): Row {
  const row: Row = {};
  columns.forEach((c, i) => (row[c.name] = decodeValue(cells[i], c.type)));
  return row;
}

function encodeParams(params: Record<string, QueryParam>) {
  return Object.entries(params).map(([name, p]) => {
    try {
      return { name, value: encodeValue(p.value, paramZetaType(p.type)) };
    } catch (e) {
      throw new ZetaSqlError(`query parameter @${name}: ${(e as Error).message}`);
    }
  });
}

function withRowIndex(catalog: ZetaSqlCatalogProto, target: string, columnCount: number): ZetaSqlCatalogProto {
  return {
    ...catalog,
    table: (catalog.table ?? []).map((t) =>
      t.name_in_catalog === target
        ? { ...t, column: [...t.column, { name: ROW_INDEX_COLUMN, type: { type_kind: "TYPE_INT64" } }], primary_key_column_index: [columnCount] }
        : t,
    ),
  };
}

function pick(tree: unknown, key: string): unknown {
  const root = Object.values((tree as Record<string, unknown>) ?? {})[0] as Record<string, unknown> | undefined;
  return root ? { [key]: root[key] } : undefined;
}
