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

/** Rows per table, keyed by `dataset.table` (tables not given are empty). */
export type TableRows = Readonly<Record<string, readonly Row[]>>;

export interface ZetaSqlOptions {
  /** Project ids accepted in `project.dataset.table` names. Default: the project of every environment's config. */
  projects?: readonly string[];
  /** Folder of view definitions (one SELECT per file). Default: `<repo>/sql/views`; null for no views. */
  viewsDir?: string | null;
}

export interface OutputColumn {
  name: string;
  type: ZetaType;
}

export interface QueryOutput {
  columns: OutputColumn[];
  /** Plain JS rows: NUMERIC decimal strings, DATE 'YYYY-MM-DD', TIMESTAMP RFC 3339 UTC, INT64 numbers. */
  rows: Row[];
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
const REPO_ROOT = resolve(__dirname, "..", "..");

/**
 * BigQuery SQL through ZetaSQL: analysis against the contract catalog and reference evaluation over
 * rows passed in. One instance per connection; the catalog (tables + sql/views) is built once.
 */
export class ZetaSql {
  private catalogPromise?: Promise<{ proto: ZetaSqlCatalogProto; tables: Map<string, CatalogTable>; views: Map<string, CatalogView> }>;

  private constructor(
    private readonly rpc: ZetaSqlRpc,
    private readonly languageOptions: Record<string, unknown>,
    private readonly opts: ZetaSqlOptions,
  ) {}

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

  /** Executes a query over the given rows (views are expanded by evaluating their SQL first). */
  async evaluateQuery(sql: string, tables: TableRows = {}, params: Record<string, QueryParam> = {}): Promise<QueryOutput> {
    const cat = await this.catalog();
    const { text, ids } = await this.canonical(sql);
    const content = await this.contentFor(ids, tables, new Map());
    const reply = await this.rpc.call<{ content?: { table_data?: { row?: { cell?: ValueProto[] }[] } }; prepared?: { columns?: OutputColumn[] } }>(
      "EvaluateQuery",
      { sql: text, options: this.analyzerOptions(params), simple_catalog: cat.proto, table_content: content, params: encodeParams(params) },
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
      query_parameters: Object.entries(params).map(([name, p]) => ({ name, type: paramZetaType(typeof p === "string" ? p : p.type) })),
    };
  }

  private analyzeWith(catalog: ZetaSqlCatalogProto, sql: string, params: Record<string, ParamType | QueryParam>): Promise<ResolvedStatement> {
    return this.rpc
      .call<{ resolved_statement?: ResolvedStatement }>("Analyze", {
        options: this.analyzerOptions(params),
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
    return { proto: catalogProto(), tables, views };
  }
}

interface EncodedTable {
  table_data: { row: { cell: ValueProto[] }[] };
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
