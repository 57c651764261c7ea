/**
 * What a statement reads of each table, from ZetaSQL's resolved AST analysed with
 * `prune_unused_columns` (each ResolvedTableScan's column_list then holds only the columns the
 * statement reads), and which rows it can possibly keep: the top-level AND-ed conjuncts of a filter
 * sitting directly on a scan that the row-predicate evaluator can compute exactly. Rows failing
 * them would be removed by ZetaSQL anyway, so dropping them before sending is always safe; a
 * conjunct that does not compile is simply left to ZetaSQL.
 */

import { compileRowPredicate, functionCall, type RowPredicate } from "./row-predicate";
import type { ValueProto } from "./values";

type Node = Record<string, unknown>;

export interface ScanColumn {
  columnId: string;
  name: string;
}

/** One ResolvedTableScan: the columns it reads and the conjuncts directly above it. */
export interface TableScanPlan {
  table: string;
  columns: ScanColumn[];
  /** Top-level AND-ed conjuncts of the filter directly on this scan (resolved expressions). */
  conjuncts: unknown[];
}

/** Per table: the columns any scan of it reads, and one row filter per scan (a row is sent if any scan may keep it). */
export interface TableReadPlan {
  columns: Set<string>;
  scans: TableScanPlan[];
}

/** Every table scan of a resolved statement with the filter conjuncts directly above it. */
function tableScans(resolved: unknown): TableScanPlan[] {
  const scans: TableScanPlan[] = [];
  const visit = (value: unknown, filterAbove?: unknown): void => {
    if (Array.isArray(value)) return value.forEach((v) => visit(v));
    if (value === null || typeof value !== "object") return;
    const node = value as Node;
    const scan = node.resolved_table_scan_node as Node | undefined;
    if (scan) {
      const table = (scan.table as { name?: string } | undefined)?.name ?? "";
      const cols = ((scan.parent as Node | undefined)?.column_list as { column_id: string; name: string }[] | undefined) ?? [];
      scans.push({ table, columns: cols.map((c) => ({ columnId: c.column_id, name: c.name })), conjuncts: filterAbove ? conjuncts(filterAbove) : [] });
      return;
    }
    const filter = node.resolved_filter_scan_node as Node | undefined;
    if (filter) {
      visit(filter.input_scan, filter.filter_expr);
      visit(filter.filter_expr);
      return;
    }
    for (const v of Object.values(node)) visit(v);
  };
  visit(resolved);
  return scans;
}

export function conjuncts(expr: unknown): unknown[] {
  const call = functionCall(expr);
  return call?.name === "$and" ? call.args.flatMap(conjuncts) : [expr];
}

/** Scans grouped by table. */
export function readPlan(resolved: unknown): Map<string, TableReadPlan> {
  const plans = new Map<string, TableReadPlan>();
  for (const scan of tableScans(resolved)) {
    const plan = plans.get(scan.table) ?? { columns: new Set<string>(), scans: [] };
    scan.columns.forEach((c) => plan.columns.add(c.name));
    plan.scans.push(scan);
    plans.set(scan.table, plan);
  }
  return plans;
}

/**
 * The row filter of one table: a row passes when, for at least one scan of the table, every
 * compiled conjunct of that scan holds. `cellIndex` gives the cell position of a column name in the
 * encoded rows. Undefined when some scan keeps every row (nothing to prune).
 */
export function tableRowFilter(
  plan: TableReadPlan,
  cellIndex: ReadonlyMap<string, number>,
  params: ReadonlyMap<string, ValueProto>,
): RowPredicate | undefined {
  const perScan: RowPredicate[][] = plan.scans.map((scan) => {
    const cellIndexByColumnId = new Map(scan.columns.filter((c) => cellIndex.has(c.name)).map((c) => [c.columnId, cellIndex.get(c.name)!]));
    return scan.conjuncts.map((c) => compileRowPredicate(c, { cellIndexByColumnId, params })).filter((p): p is RowPredicate => p !== undefined);
  });
  if (perScan.some((ps) => ps.length === 0)) return undefined;
  return (cells) => perScan.some((ps) => ps.every((p) => p(cells)));
}

/**
 * Canonical text of the filter tableRowFilter builds from the same arguments: per scan, the
 * conjuncts that compile, with column references by name and parameters by their values. Equal
 * texts mean equal filters, across statements (column ids differ between analyses). "" when
 * tableRowFilter gives no filter.
 */
export function rowFilterKey(plan: TableReadPlan, cellIndex: ReadonlyMap<string, number>, params: ReadonlyMap<string, ValueProto>): string {
  const perScan = plan.scans.map((scan) => {
    const inScope = scan.columns.filter((c) => cellIndex.has(c.name));
    const cellIndexByColumnId = new Map(inScope.map((c) => [c.columnId, cellIndex.get(c.name)!]));
    const nameById = new Map(inScope.map((c) => [c.columnId, c.name]));
    return scan.conjuncts
      .filter((c) => compileRowPredicate(c, { cellIndexByColumnId, params }) !== undefined)
      .map((c) => JSON.stringify(c, (_k, v: unknown) => canonicalNode(v, nameById, params)));
  });
  return perScan.some((ps) => ps.length === 0) ? "" : JSON.stringify(perScan);
}

function canonicalNode(value: unknown, nameById: ReadonlyMap<string, string>, params: ReadonlyMap<string, ValueProto>): unknown {
  if (value === null || typeof value !== "object") return value;
  const node = value as Node;
  const ref = node.resolved_column_ref_node as { column?: { column_id?: string; type?: unknown } } | undefined;
  if (ref) return { column: nameById.get(ref.column?.column_id ?? ""), type: ref.column?.type };
  const param = node.resolved_parameter_node as { name?: string } | undefined;
  if (param) return { parameter: param, value: params.get(param.name ?? "") };
  return value;
}

/**
 * Cell indexes the predicate of tableRowFilter (same arguments) may read: every column a scan's
 * conjuncts reference. Encoding these cells first lets a row the filter drops skip the rest.
 */
export function rowFilterReads(plan: TableReadPlan, cellIndex: ReadonlyMap<string, number>): number[] {
  const reads = new Set<number>();
  for (const scan of plan.scans) {
    const byId = new Map(scan.columns.filter((c) => cellIndex.has(c.name)).map((c) => [c.columnId, cellIndex.get(c.name)!]));
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) return value.forEach(visit);
      if (value === null || typeof value !== "object") return;
      const id = (value as Node).column_id as string | undefined;
      if (id !== undefined && byId.has(id)) reads.add(byId.get(id)!);
      Object.values(value as Node).forEach(visit);
    };
    scan.conjuncts.forEach(visit);
  }
  return [...reads];
}
