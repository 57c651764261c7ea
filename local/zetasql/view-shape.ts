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
 */

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

export function viewShape(resolved: unknown): ViewShape {
  const stmt = (resolved as Node).resolved_query_stmt_node as Node | undefined;
  const outputs = (stmt?.output_column_list as { name: string; column: { column_id: string } }[] | undefined) ?? [];
  const shape: ViewShape = { pushable: new Map(), passthrough: new Map(), referenced: new Set(), splittable: false, splitKey: [] };
  const partitionSets: Set<string>[] = [];
  let tableScan: Node | undefined;
  // Walk down the single chain of scans from the query to its table.
  for (let scan = innerScan(stmt?.query); scan; ) {
    const [kind, node] = scan;
    if (kind === "resolved_table_scan_node") {
      tableScan = node;
      break;
    }
    if (!ROW_WISE_SCANS.has(kind)) return shape;
    if (kind === "resolved_analytic_scan_node") {
      for (const group of (node.function_group_list as Node[] | undefined) ?? []) {
        const partitionBy = group.partition_by as { partition_by_list?: unknown[] } | undefined;
        const ids = new Set((partitionBy?.partition_by_list ?? []).map((r) => (r as { column?: { column_id?: string } }).column?.column_id ?? ""));
        partitionSets.push(ids);
      }
    }
    if (hasSubquery(node)) return shape; // a subquery may read other rows or tables
    scan = innerScan(node.input_scan);
  }
  if (!tableScan) return shape;
  const baseCols = ((tableScan.parent as Node | undefined)?.column_list as { column_id: string; name: string }[] | undefined) ?? [];
  const baseById = new Map(baseCols.map((c) => [c.column_id, c.name]));
  shape.baseTable = (tableScan.table as { name?: string } | undefined)?.name;
  collectColumnRefs(stmt, (id) => {
    const name = baseById.get(id);
    if (name) shape.referenced.add(name);
  });
  for (const out of outputs) {
    const base = baseById.get(out.column.column_id);
    if (!base) continue;
    shape.passthrough.set(out.name, base);
    if (partitionSets.every((ids) => ids.has(out.column.column_id))) shape.pushable.set(out.name, base);
  }
  // Partition key columns common to every window (any split is exact when there is no window).
  const common = baseCols.filter((c) => partitionSets.every((ids) => ids.has(c.column_id)));
  shape.splitKey = common.map((c) => c.name);
  shape.splittable = partitionSets.length === 0 || common.length > 0;
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
  // This scan's own expressions only (its input scan is walked separately).
  const own = Object.fromEntries(Object.entries(node).filter(([k]) => k !== "input_scan"));
  return JSON.stringify(own).includes("resolved_subquery_expr_node");
}
