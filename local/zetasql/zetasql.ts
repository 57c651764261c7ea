import type { CatalogTable } from "../../contracts/derive/zetasql-catalog";
import type { ParamType, QueryParam } from "../../functions/runtime/warehouse";
import { buildCatalog, referencedTables, type BuiltCatalog, type CatalogView } from "./catalog";
import { ZetaSqlConnection } from "./connection";
import type { EvaluateOptions, ModifyOutput, QueryOutput, RequestStats, ResolvedStatement, StatementKind, TableRows, ZetaSqlOptions } from "./evaluation-types";
import { evaluateModify } from "./modify-evaluation";
import { PushdownEvaluation } from "./pushdown-evaluation";
import { ViewCache } from "./view-cache";
import { evaluateWhole } from "./whole-evaluation";

const STATEMENT_NODES: Record<string, StatementKind> = {
  ast_query_statement_node: "query",
  ast_insert_statement_node: "insert",
  ast_update_statement_node: "update",
  ast_delete_statement_node: "delete",
  ast_merge_statement_node: "merge",
};

/**
 * BigQuery SQL through ZetaSQL: analysis against the contract catalog and reference evaluation over
 * rows passed in. One instance per connection; the catalog (tables + sql/views) is built once.
 */
export class ZetaSql {
  private built?: Promise<{ cat: BuiltCatalog; pushdown: PushdownEvaluation }>;

  private constructor(
    private readonly conn: ZetaSqlConnection,
    private readonly opts: ZetaSqlOptions,
  ) {}

  /** Connects to a running remote_server (see server.ts / session.ts). */
  static async connect(address: string, opts: ZetaSqlOptions = {}): Promise<ZetaSql> {
    return new ZetaSql(await ZetaSqlConnection.connect(address), opts);
  }

  close(): void {
    this.conn.close();
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
    return this.conn.analyze((await this.catalog()).proto, sql, opts.params ?? {});
  }

  /**
   * `dataset.table` of every catalog table or view the statement reads or writes, from its parse
   * tree; with `throughViews` (default) also the tables the referenced views read.
   */
  async referencedTables(sql: string, opts: { throughViews?: boolean } = {}): Promise<string[]> {
    return referencedTables(this.conn, await this.catalog(), sql, opts.throughViews !== false);
  }

  /** What kind of statement this is, from its parse tree. */
  async statementKind(sql: string): Promise<StatementKind> {
    const node = Object.keys((await this.conn.parse(sql)) ?? {})[0] ?? "";
    return STATEMENT_NODES[node] ?? "other";
  }

  /**
   * Executes a query over the given rows. With pushdown (the default) each request carries only the
   * columns the query reads and the rows its simple filters can keep (pushdown-evaluation.ts).
   */
  async evaluateQuery(sql: string, tables: TableRows = {}, params: Record<string, QueryParam> = {}, opts: EvaluateOptions = {}): Promise<QueryOutput> {
    const { cat, pushdown } = await this.engine();
    const requests: RequestStats[] = [];
    const out =
      this.opts.pushdown === false ? await evaluateWhole(this.conn, cat, sql, tables, params, requests) : await pushdown.evaluate(sql, tables, params, requests, opts.versions);
    return { ...out, requests };
  }

  /**
   * Executes INSERT, UPDATE or DELETE over the given rows and returns the changes to apply.
   * ZetaSQL cannot execute MERGE; the insert-if-missing shape is rewritten (merge-as-insert.ts).
   */
  async evaluateModify(sql: string, tables: TableRows = {}, params: Record<string, QueryParam> = {}): Promise<ModifyOutput> {
    return evaluateModify(this.conn, await this.catalog(), sql, tables, params, async (viewSql) => (await this.evaluateQuery(viewSql, tables)).rows);
  }

  private async catalog(): Promise<BuiltCatalog> {
    return (await this.engine()).cat;
  }

  private engine() {
    this.built ??= buildCatalog(this.conn, this.opts).then((cat) => ({
      cat,
      pushdown: new PushdownEvaluation(this.conn, cat, new ViewCache(this.opts.viewCacheRows ?? 400_000)),
    }));
    return this.built;
  }
}
