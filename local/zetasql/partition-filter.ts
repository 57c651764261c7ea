/**
 * Proof, from ZetaSQL's resolved AST, that a statement filters every partitioned table it scans on
 * the table's partition column: for each ResolvedTableScan of a partitioned table, some filter
 * position (a FilterScan's filter, a join condition, a DML WHERE or MERGE ON) must have a top-level
 * conjunct comparing that scan's partition column with a constant expression (parameters, literals
 * and functions of them), or with an expression of columns already bounded that way (a join's
 * `o.d BETWEEN c.d - 1 AND c.d + 1` bounds o.d once c.d is). A conjunct under OR does not count: it
 * does not bound the scan. A view counts as partitioned when its own AST proves that a reader's
 * filter on its partition column bounds every scan in it (viewPartitionColumn).
 */

import { TABLES } from "../../contracts/tables";
import { asCall, columnRefId } from "./resolved-expr";
import type { ZetaSql } from "./zetasql";

type Node = Record<string, unknown>;

export interface PartitionScan {
  table: string;
  column: string;
  alias?: string;
}

// Where the resolved AST keeps boolean conditions that prune rows.
const FILTER_KEYS = new Set(["filter_expr", "join_expr", "where_expr", "merge_expr"]);
const COMPARISONS = new Set(["$equal", "$less", "$less_or_equal", "$greater", "$greater_or_equal", "$between", "$in"]);

/** True when an expression reads no column but bounded ones: literals, parameters, bounded columns, and functions or casts of them. */
function isBoundedBy(expr: unknown, bounded: ReadonlySet<string>): boolean {
  if (expr === null || typeof expr !== "object") return true;
  const node = expr as Node;
  if ("resolved_subquery_expr_node" in node) return false;
  const ref = columnRefId(expr);
  if ("resolved_column_ref_node" in node) return ref !== undefined && bounded.has(ref);
  return Object.values(node).every((v) => isBoundedBy(v, bounded));
}

function conjuncts(expr: unknown): unknown[] {
  const call = asCall(expr);
  return call?.name === "$and" ? call.args.flatMap(conjuncts) : [expr];
}

/**
 * Column ids bounded by some top-level conjunct `column <op> expression` in any filter position,
 * where the expression reads constants only, or columns already bounded (`seed`, e.g. a reader's
 * filter on a view column, and what follows from it: `o.d BETWEEN c.d - 1 AND c.d + 1` bounds o.d
 * once c.d is bounded), to a fixpoint.
 */
function boundedColumnIds(root: unknown, seed: Iterable<string> = []): Set<string> {
  const bounded = new Set(seed);
  const comparisons: { column: string; others: unknown[] }[] = [];
  const visit = (value: unknown, key?: string): void => {
    if (Array.isArray(value)) return value.forEach((v) => visit(v));
    if (value === null || typeof value !== "object") return;
    if (key && FILTER_KEYS.has(key)) {
      for (const c of conjuncts(value)) {
        const call = asCall(c);
        if (!call || !COMPARISONS.has(call.name)) continue;
        call.args.forEach((arg, i) => {
          const column = columnRefId(arg);
          if (column !== undefined) comparisons.push({ column, others: call.args.filter((_, j) => j !== i) });
        });
      }
    }
    for (const [k, v] of Object.entries(value as Node)) visit(v, k);
  };
  visit(root);
  for (let grew = true; grew; ) {
    grew = false;
    for (const { column, others } of comparisons) {
      if (!bounded.has(column) && others.every((o) => isBoundedBy(o, bounded))) {
        bounded.add(column);
        grew = true;
      }
    }
  }
  return bounded;
}

/**
 * Scans of partitioned tables that no filter bounds on their partition column.
 * `partitionColumns` maps `dataset.table` (tables and partitioned views) to the partition column.
 */
export function unfilteredPartitionScans(resolved: unknown, partitionColumns: ReadonlyMap<string, string>, seed: Iterable<string> = []): PartitionScan[] {
  const bounded = boundedColumnIds(resolved, seed);
  const missing: PartitionScan[] = [];
  const visit = (value: unknown, key?: string): void => {
    if (Array.isArray(value)) return value.forEach((v) => visit(v));
    if (value === null || typeof value !== "object") return;
    const node = value as Node;
    // Scans are wrapped in a oneof (`resolved_table_scan_node`), except a DML target (`table_scan`).
    const scan = key === "table_scan" ? node : (node.resolved_table_scan_node as Node | undefined);
    if (scan) {
      const table = (scan.table as { name?: string } | undefined)?.name ?? "";
      const column = partitionColumns.get(table);
      if (column) {
        const cols = ((scan.parent as Node | undefined)?.column_list as { column_id: string; name: string }[] | undefined) ?? [];
        const partitionCol = cols.find((c) => c.name === column);
        const alias = scan.alias as string | undefined;
        if (!partitionCol || !bounded.has(partitionCol.column_id)) missing.push({ table, column, ...(alias ? { alias } : {}) });
      }
    }
    for (const [k, v] of Object.entries(node)) {
      // An INSERT's target is written, not read: its table_scan scans nothing.
      if (k === "resolved_insert_stmt_node") visit({ ...(v as Node), table_scan: undefined });
      else visit(v, k);
    }
  };
  visit(resolved);
  return missing;
}

/** Column ids of every window's PARTITION BY list in a statement. */
function windowPartitionSets(root: unknown): Set<string>[] {
  const sets: Set<string>[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== "object") return;
    const node = value as Node;
    // A window group: its PARTITION BY (absent: one partition of all rows, which no filter may enter).
    if ("analytic_function_list" in node) {
      const partitionBy = node.partition_by as { partition_by_list?: { column?: { column_id?: string } }[] } | undefined;
      sets.push(new Set((partitionBy?.partition_by_list ?? []).map((r) => r.column?.column_id ?? "")));
    }
    Object.values(node).forEach(visit);
  };
  visit(root);
  return sets;
}

/**
 * The output column of a view that a reader may filter on to prune every partitioned table the view
 * scans, proven from the view's resolved AST: an output column passed through from a partitioned
 * table's partition column, that is a PARTITION BY column of every window (so the reader's filter
 * goes below them, as BigQuery pushes it) and whose bound, once the reader filters it, bounds the
 * partition column of every partitioned scan in the view (directly, or through the view's own
 * conditions: `earlier.event_date BETWEEN DATE_SUB(c.event_date, ...) AND ...`).
 */
export function viewPartitionColumn(resolved: unknown, partitionColumns: ReadonlyMap<string, string>): string | undefined {
  const stmt = (resolved as Node).resolved_query_stmt_node as Node | undefined;
  const outputs = (stmt?.output_column_list as { name: string; column: { column_id: string; table_name?: string; name: string } }[] | undefined) ?? [];
  const windows = windowPartitionSets(resolved);
  for (const out of outputs) {
    const table = out.column.table_name;
    if (!table || partitionColumns.get(table) !== out.column.name) continue;
    if (!windows.every((ids) => ids.has(out.column.column_id))) continue;
    if (unfilteredPartitionScans(resolved, partitionColumns, [out.column.column_id]).length === 0) return out.name;
  }
  return undefined;
}

/**
 * Partition column of every partitioned table, and of every view whose resolved AST proves that a
 * reader's filter on that column prunes every partitioned table it scans (viewPartitionColumn).
 */
export async function partitionColumns(zs: ZetaSql): Promise<Map<string, string>> {
  const columns = new Map<string, string>();
  for (const t of TABLES) if (t.partition) columns.set(`${t.dataset}.${t.table}`, t.partition.field);
  for (const [id, view] of await zs.views()) {
    const column = viewPartitionColumn(await zs.analyze(view.sql), columns);
    if (column) columns.set(id, column);
  }
  return columns;
}
