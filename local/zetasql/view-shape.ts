/**
 * What may be pushed below a view, read from the view's own resolved AST.
 *
 * A reader's filter on a view column may only be applied to the view's base rows when that gives
 * the same result as filtering the view's output. For a view that is one table scan under filters,
 * projections and window functions (e.g. the dedup view's QUALIFY ROW_NUMBER() OVER (PARTITION BY
 * event_date, event_id ...) = 1), that holds for a column passed through unchanged from the table
 * that is a PARTITION BY column of every window: the filter then keeps or removes whole window
 * partitions, so every surviving row's window values are unchanged. A filter on any other column
 * (e.g. a hash shard on order_id) could remove the row that would have won a window and let another
 * one win, so it is applied to the view's output rows instead, never below the window. We do not
 * rely on domain facts (that duplicates of one event share their order_id): only the AST decides.
 *
 * The same reasoning lets the view be evaluated in pieces: base rows split by their partition key
 * values give disjoint window partitions, so the pieces' outputs concatenate to the view's output.
 *
 * A view may also join the table to itself (the dedup view looks up earlier copies of each event on
 * neighbouring days): a column is then pushable and a split key only when it is also an equality
 * key of the join (`earlier.event_id = c.event_id`), so a filter or a split keeps or removes whole
 * join groups on both sides. The output columns pass through from the join's left side only.
 */

import { asCall, columnRefId } from "./resolved-expr";

type Node = Record<string, unknown>;

export interface ViewShape {
  /** The single table the view scans, when it is of the supported shape (else undefined). */
  baseTable?: string;
  /** View column name -> base column name, for columns pushable below the view (see above). */
  pushable: Map<string, string>;
  /** View column name -> base column name, for every column passed through unchanged. */
  passthrough: Map<string, string>;
  /** Base columns the view's own expressions read (filters, windows, computed columns). */
  referenced: Set<string>;
  /** Whether the base rows may be evaluated in pieces split by `splitKey` (see above). */
  splittable: boolean;
  /** Base columns of the window partition key common to every window (empty with no window: any split is exact). */
  splitKey: string[];
}

// Scans that keep each row's columns and only drop rows or add computed columns.
const ROW_WISE_SCANS = new Set(["resolved_project_scan_node", "resolved_filter_scan_node", "resolved_analytic_scan_node"]);

function innerScan(scanField: unknown): [string, Node] | undefined {
  const entry = Object.entries((scanField ?? {}) as Node)[0];
  return entry && typeof entry[1] === "object" ? [entry[0], entry[1] as Node] : undefined;
}

type Column = { column_id: string; name: string };

const tableOf = (scan: Node): string | undefined => (scan.table as { name?: string } | undefined)?.name;
const columnsOf = (scan: Node): Column[] => ((scan.parent as Node | undefined)?.column_list as Column[] | undefined) ?? [];

/**
 * Walks a chain of row-wise scans down to its table scan, collecting the windows' PARTITION BY
 * column sets; a self-join on the way is followed down its left side (see above). Undefined when
 * the chain holds anything else.
 */
function walkToTable(start: [string, Node] | undefined, partitionSets: Set<string>[], joins: Node[]): Node | undefined {
  for (let scan = start; scan; ) {
    const [kind, node] = scan;
    if (kind === "resolved_table_scan_node") return node;
    if (hasSubquery(node)) return undefined; // a subquery may read other rows or tables
    if (kind === "resolved_join_scan_node") {
      joins.push(node);
      scan = innerScan(node.left_scan);
      continue;
    }
    if (!ROW_WISE_SCANS.has(kind)) return undefined;
    if (kind === "resolved_analytic_scan_node") {
      for (const group of (node.function_group_list as Node[] | undefined) ?? []) {
        const partitionBy = group.partition_by as { partition_by_list?: unknown[] } | undefined;
        const ids = new Set((partitionBy?.partition_by_list ?? []).map((r) => (r as { column?: { column_id?: string } }).column?.column_id ?? ""));
        partitionSets.push(ids);
      }
    }
    scan = innerScan(node.input_scan);
  }
  return undefined;
}

/** Base column names that a top-level `left.col = right.col` conjunct of the join condition equates. */
function joinKeys(join: Node, left: ReadonlyMap<string, string>, right: ReadonlyMap<string, string>): Set<string> {
  const keys = new Set<string>();
  const visit = (expr: unknown): void => {
    const call = asCall(expr);
    if (call?.name === "$and") return call.args.forEach(visit);
    if (call?.name !== "$equal") return;
    const [a, b] = call.args.map(columnRefId);
    const [l, r] = left.has(a ?? "") ? [a, b] : [b, a];
    const name = left.get(l ?? "");
    if (name !== undefined && right.get(r ?? "") === name) keys.add(name);
  };
  visit(join.join_expr);
  return keys;
}

export function viewShape(resolved: unknown): ViewShape {
  const stmt = (resolved as Node).resolved_query_stmt_node as Node | undefined;
  const outputs = (stmt?.output_column_list as { name: string; column: { column_id: string } }[] | undefined) ?? [];
  const shape: ViewShape = { pushable: new Map(), passthrough: new Map(), referenced: new Set(), splittable: false, splitKey: [] };
  const partitionSets: Set<string>[] = [];
  const joins: Node[] = [];
  const tableScan = walkToTable(innerScan(stmt?.query), partitionSets, joins);
  if (!tableScan || joins.length > 1) return shape;
  const baseCols = columnsOf(tableScan);
  const baseById = new Map(baseCols.map((c) => [c.column_id, c.name]));
  const readById = new Map(baseById);
  let keys: Set<string> | undefined;
  if (joins.length === 1) {
    const rightSets: Set<string>[] = [];
    const rightJoins: Node[] = [];
    const rightScan = walkToTable(innerScan(joins[0].right_scan), rightSets, rightJoins);
    if (!rightScan || rightSets.length > 0 || rightJoins.length > 0 || tableOf(rightScan) !== tableOf(tableScan) || hasSubquery(joins[0])) return shape;
    const rightById = new Map(columnsOf(rightScan).map((c) => [c.column_id, c.name]));
    for (const [id, name] of rightById) readById.set(id, name);
    keys = joinKeys(joins[0], baseById, rightById);
    if (keys.size === 0) return shape;
  }
  const isKey = (name: string) => keys === undefined || keys.has(name);
  shape.baseTable = tableOf(tableScan);
  collectColumnRefs(stmt, (id) => {
    const name = readById.get(id);
    if (name) shape.referenced.add(name);
  });
  for (const out of outputs) {
    const base = baseById.get(out.column.column_id);
    if (!base) continue;
    shape.passthrough.set(out.name, base);
    if (isKey(base) && partitionSets.every((ids) => ids.has(out.column.column_id))) shape.pushable.set(out.name, base);
  }
  // Partition key columns common to every window (any split is exact when there is no window).
  const common = baseCols.filter((c) => isKey(c.name) && partitionSets.every((ids) => ids.has(c.column_id)));
  shape.splitKey = common.map((c) => c.name);
  shape.splittable = (partitionSets.length === 0 && keys === undefined) || common.length > 0;
  return shape;
}

// Every node holding a `column` (column references, wrapped or bare as in PARTITION BY / ORDER BY
// lists, and computed columns): a superset of the columns read, which only ever keeps more columns.
function collectColumnRefs(value: unknown, onRef: (columnId: string) => void): void {
  if (Array.isArray(value)) return value.forEach((v) => collectColumnRefs(v, onRef));
  if (value === null || typeof value !== "object") return;
  const node = value as Node;
  const column = node.column as { column_id?: string } | undefined;
  if (column?.column_id) onRef(column.column_id);
  // The output list names every output column; it reads none of them.
  for (const [k, v] of Object.entries(node)) if (k !== "output_column_list") collectColumnRefs(v, onRef);
}

function hasSubquery(node: Node): boolean {
  // This scan's own expressions only (its input scans are walked separately).
  const own = Object.fromEntries(Object.entries(node).filter(([k]) => k !== "input_scan" && k !== "left_scan" && k !== "right_scan"));
  return JSON.stringify(own).includes("resolved_subquery_expr_node");
}
