/**
 * Proof, from ZetaSQL's resolved AST, that a statement filters every partitioned table it scans on
 * the table's partition column: for each ResolvedTableScan of a partitioned table, some filter
 * position (a FilterScan's filter, a join condition, a DML WHERE or MERGE ON) must have a top-level
 * conjunct comparing that scan's partition column with a constant expression (parameters, literals
 * and functions of them). A conjunct under OR does not count: it does not bound the scan.
 */

import { TABLES } from "../../contracts/tables";
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

interface Call {
  name: string;
  args: unknown[];
}

function asCall(expr: unknown): Call | undefined {
  const base = (expr as Node | undefined)?.resolved_function_call_base_node as Node | undefined;
  const call = base && (Object.values(base)[0] as Node | undefined);
  const parent = call?.parent as Node | undefined;
  const fn = (parent?.function as { name?: string } | undefined)?.name;
  return fn ? { name: fn.replace(/^ZetaSQL:/, ""), args: (parent!.argument_list as unknown[]) ?? [] } : undefined;
}

function columnRefId(expr: unknown): string | undefined {
  const ref = (expr as Node | undefined)?.resolved_column_ref_node as { column?: { column_id?: string } } | undefined;
  return ref?.column?.column_id;
}

/** True when an expression depends on no column: literals, parameters, and functions or casts of them. */
function isConstant(expr: unknown): boolean {
  if (expr === null || typeof expr !== "object") return true;
  const node = expr as Node;
  if ("resolved_column_ref_node" in node || "resolved_subquery_expr_node" in node) return false;
  return Object.values(node).every(isConstant);
}

function conjuncts(expr: unknown): unknown[] {
  const call = asCall(expr);
  return call?.name === "$and" ? call.args.flatMap(conjuncts) : [expr];
}

/** Column ids bounded by some top-level conjunct `column <op> constant` in any filter position. */
function boundedColumnIds(root: unknown): Set<string> {
  const bounded = new Set<string>();
  const visit = (value: unknown, key?: string): void => {
    if (Array.isArray(value)) return value.forEach((v) => visit(v));
    if (value === null || typeof value !== "object") return;
    if (key && FILTER_KEYS.has(key)) {
      for (const c of conjuncts(value)) {
        const call = asCall(c);
        if (!call || !COMPARISONS.has(call.name)) continue;
        const cols = call.args.map(columnRefId);
        const colIndex = cols.findIndex((id) => id !== undefined);
        if (colIndex < 0) continue;
        const others = call.args.filter((_, i) => i !== colIndex);
        if (others.every(isConstant)) bounded.add(cols[colIndex]!);
      }
    }
    for (const [k, v] of Object.entries(value as Node)) visit(v, k);
  };
  visit(root);
  return bounded;
}

/**
 * Scans of partitioned tables that no filter bounds on their partition column.
 * `partitionColumns` maps `dataset.table` (tables and partitioned views) to the partition column.
 */
export function unfilteredPartitionScans(resolved: unknown, partitionColumns: ReadonlyMap<string, string>): PartitionScan[] {
  const bounded = boundedColumnIds(resolved);
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

/**
 * Partition column of every partitioned table, and of every view that reads exactly one
 * partitioned table and passes its partition column through (a filter on the view's column is
 * pushed down to the table's partitions, as BigQuery does).
 */
export async function partitionColumns(zs: ZetaSql): Promise<Map<string, string>> {
  const columns = new Map<string, string>();
  for (const t of TABLES) if (t.partition) columns.set(`${t.dataset}.${t.table}`, t.partition.field);
  for (const [id, view] of await zs.views()) {
    const partitioned = (await zs.referencedTables(view.sql, { throughViews: false })).filter((t) => columns.has(t));
    const column = partitioned.length === 1 ? columns.get(partitioned[0]) : undefined;
    if (column && view.columns.some((c) => c.name === column)) columns.set(id, column);
  }
  return columns;
}
