/**
 * Table references in a statement, read from ZetaSQL's parse tree (not a regex).
 *
 * ZetaSQL's evaluator only reads contents of tables at the catalog's root, found by one identifier,
 * while BigQuery SQL names tables `dataset.table` or `project.dataset.table`. So before evaluating,
 * each table path is replaced, at its exact parse location, by the canonical `` `dataset.table` ``.
 */

/** A table path as written: its canonical `dataset.table` and its byte range in the SQL text. */
export interface TableRef {
  id: string;
  start: number;
  end: number;
}

type Node = Record<string, unknown>;

// Keys under which the parse tree holds a table path: FROM items, and DML targets.
const TABLE_PATH_KEYS = new Set(["path_expr", "target_path"]);

function locationOf(node: Node): { start: number; end: number } | undefined {
  for (let n: Node | undefined = node; n; n = n.parent as Node | undefined) {
    const r = n.parse_location_range as { start?: number; end?: number } | undefined;
    if (r) return { start: r.start ?? 0, end: r.end ?? 0 };
  }
  return undefined;
}

/**
 * Every table path in a parse tree that names one of `knownIds` (`dataset.table`), written as
 * `dataset.table`, `` `dataset.table` ``, `project.dataset.table` or `` `project.dataset.table` ``.
 */
export function findTableRefs(parseTree: unknown, knownIds: ReadonlySet<string>): TableRef[] {
  const refs: TableRef[] = [];
  const visit = (value: unknown, key: string | undefined): void => {
    if (Array.isArray(value)) return value.forEach((v) => visit(v, undefined));
    if (value === null || typeof value !== "object") return;
    const node = value as Node;
    if (key && TABLE_PATH_KEYS.has(key)) {
      const path = (node.ast_path_expression_node as Node | undefined) ?? node;
      const names = path.names as { id_string?: string }[] | undefined;
      const loc = locationOf(path);
      if (names && loc) {
        const parts = names.map((n) => n.id_string ?? "").join(".").split(".");
        const id = parts.slice(-2).join(".");
        if (parts.length >= 2 && parts.length <= 3 && knownIds.has(id)) refs.push({ id, ...loc });
      }
    }
    for (const [k, v] of Object.entries(node)) visit(v, k);
  };
  visit(parseTree, undefined);
  return refs.sort((a, b) => a.start - b.start);
}

/** Replaces each reference by `` `dataset.table` `` (byte offsets, so non-ASCII text stays aligned). */
export function canonicaliseTableRefs(sql: string, refs: readonly TableRef[]): string {
  const bytes = Buffer.from(sql, "utf8");
  const out: Buffer[] = [];
  let at = 0;
  for (const r of refs) {
    out.push(bytes.subarray(at, r.start), Buffer.from(`\`${r.id}\``));
    at = r.end;
  }
  out.push(bytes.subarray(at));
  return Buffer.concat(out).toString("utf8");
}
