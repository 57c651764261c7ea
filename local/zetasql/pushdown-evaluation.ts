import type { QueryParam, Row } from "../../functions/runtime/warehouse";
import { canonicalStatement, prunedCatalog, referencedTables, type BuiltCatalog, type CatalogView } from "./catalog";
import type { ZetaSqlConnection } from "./connection";
import type { OutputColumn, QueryOutput, RequestStats, TableRows } from "./evaluation-types";
import { ZetaSqlError } from "./grpc-client";
import { rowBudget, splitRows, tooLarge, type PrunedTable } from "./request-pieces";
import type { RowPredicate } from "./row-predicate";
import { readPlan, rowFilterKey, rowFilterReads, tableRowFilter, type TableReadPlan } from "./scan-plan";
import { encodeParams, encodeTable } from "./table-encoding";
import type { ViewCache, TableVersions } from "./view-cache";
import { viewShape, type ViewShape } from "./view-shape";
import { evaluateWhole } from "./whole-evaluation";

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

/**
 * Evaluation that sends ZetaSQL only what a query reads: the columns it reads and the rows its simple
 * filters can keep (scan-plan.ts); a view is evaluated first, from its base rows, and its result is
 * sent as a table (view-shape.ts), reused from the view cache while its inputs are unchanged.
 */
export class PushdownEvaluation {
  private readonly viewShapes = new Map<string, ViewShape>();

  constructor(
    private readonly conn: ZetaSqlConnection,
    private readonly cat: BuiltCatalog,
    private readonly viewCache: ViewCache,
  ) {}

  evaluate(sql: string, tables: TableRows, params: Record<string, QueryParam>, requests: RequestStats[], versions?: TableVersions): Promise<QueryOutput> {
    return this.evaluatePruned(sql, tables, params, requests, {}, versions);
  }

  private async evaluatePruned(
    sql: string,
    tables: TableRows,
    params: Record<string, QueryParam>,
    requests: RequestStats[],
    pushed: PushedIntoTables,
    versions?: TableVersions,
  ): Promise<QueryOutput> {
    const cat = this.cat;
    const { text, ids } = await canonicalStatement(this.conn, cat, sql);
    const plans = readPlan(await this.conn.analyze(cat.proto, text, params, { pruneUnusedColumns: true }));
    const encodedParams = new Map(encodeParams(params).map((p) => [p.name, p.value]));
    const parts: PrunedTable[] = [];
    for (const id of ids) {
      const tableColumns = cat.tables.get(id)!.columns;
      const plan = plans.get(id) ?? { columns: new Set(tableColumns.map((c) => c.name)), scans: [] };
      const keep = pushed[id]?.columns ?? plan.columns;
      const columns = tableColumns.filter((c) => keep.has(c.name));
      const view = cat.views.get(id);
      const rows = view && tables[id] === undefined ? await this.materializeView(view, plan, tables, params, requests, versions) : (tables[id] ?? []);
      const cellIndex = new Map(columns.map((c, i) => [c.name, i]));
      const filters = [tableRowFilter(plan, cellIndex, encodedParams), pushed[id]?.filter(cellIndex)].filter((f) => f !== undefined);
      const reads = new Set([...rowFilterReads(plan, cellIndex), ...(pushed[id]?.reads(cellIndex) ?? [])]);
      parts.push({ id, columns, rows: encodeTable(id, columns, rows, { keep: (cells) => filters.every((f) => f(cells)), reads, tableColumns }) });
    }
    // A pruned catalog must resolve the statement as the full one did (e.g. SELECT * EXCEPT (c) names
    // an unread c); when it does not, evaluate with whole tables.
    const catalog = prunedCatalog(cat, new Map(parts.map((p) => [p.id, p.columns])), this.conn.languageOptions);
    try {
      await this.conn.analyze(catalog, text, params);
    } catch {
      return evaluateWhole(this.conn, cat, sql, tables, params, requests);
    }
    const split = Object.entries(pushed).find(([, p]) => p.splitKey !== undefined);
    const budget = rowBudget(catalog);
    const total = parts.reduce((n, p) => n + p.rows.bytes, 0);
    if (total <= budget || !split) {
      if (total > budget) throw new ZetaSqlError(tooLarge(parts, budget));
      return this.conn.evaluateQuery(text, catalog, Object.fromEntries(parts.map((p) => [p.id, p.rows.table])), params, requests);
    }
    // Evaluate in pieces: the split table's rows by their partition key, the other tables whole.
    const [splitId, { splitKey }] = split;
    const splitPart = parts.find((p) => p.id === splitId)!;
    let columns: OutputColumn[] = [];
    const rows: Row[] = [];
    for (const piece of splitRows(parts, splitPart, splitKey!, budget)) {
      const content = Object.fromEntries(parts.map((p) => [p.id, p === splitPart ? piece : p.rows.table]));
      const out = await this.conn.evaluateQuery(text, catalog, content, params, requests);
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
      const read = (await referencedTables(this.conn, this.cat, view.sql)).filter((id) => id !== view.id && (!this.cat.views.has(id) || tables[id] !== undefined));
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
      shape = viewShape(await this.conn.analyze(this.cat.proto, (await canonicalStatement(this.conn, this.cat, view.sql)).text, {}));
      this.viewShapes.set(view.id, shape);
    }
    return shape;
  }
}
