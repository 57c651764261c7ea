/**
 * ZetaSQL's reference evaluator analyses MERGE but cannot execute it. The MERGE the repair uses —
 * one `WHEN NOT MATCHED [BY TARGET] THEN INSERT (cols) VALUES (...)` clause — means exactly
 *   INSERT INTO target (cols) SELECT ... FROM source WHERE NOT EXISTS (SELECT 1 FROM target AS t WHERE on)
 * so locally it is rewritten to that, from the parse tree's locations (the text of each part is kept
 * as written). Other MERGE shapes are refused with a clear message.
 */

type Node = Record<string, unknown>;

function range(node: unknown): { start: number; end: number } {
  for (let n = node as Node | undefined; n; n = n.parent as Node | undefined) {
    const r = n.parse_location_range as { start?: number; end?: number } | undefined;
    if (r) return { start: r.start ?? 0, end: r.end ?? 0 };
    if (typeof n.parent !== "object") break;
  }
  // Wrapped nodes (oneofs) hold their location one level down.
  const inner = node && typeof node === "object" ? Object.values(node as Node)[0] : undefined;
  if (inner && inner !== node && typeof inner === "object") return range(inner);
  throw new Error("MERGE rewrite: a parse node has no location");
}

export function mergeAsInsert(sql: string, merge: Node): string {
  const bytes = Buffer.from(sql, "utf8");
  const text = (node: unknown) => {
    const r = range(node);
    return bytes.subarray(r.start, r.end).toString("utf8");
  };
  const clauses = ((merge.when_clauses as Node | undefined)?.clause_list as Node[] | undefined) ?? [];
  const clause = clauses[0];
  const action = clause?.action as Node | undefined;
  if (
    clauses.length !== 1 ||
    !["NOT_MATCHED_BY_TARGET"].includes(String(clause.match_type)) ||
    action?.action_type !== "INSERT" ||
    !action.insert_column_list ||
    !action.insert_row
  ) {
    throw new Error(
      "MERGE cannot run on ZetaSQL's reference evaluator; locally only MERGE ... WHEN NOT MATCHED [BY TARGET] THEN INSERT (columns) VALUES (...) " +
        "is supported (rewritten to INSERT ... WHERE NOT EXISTS). Write other shapes as INSERT/UPDATE/DELETE.",
    );
  }
  const target = text(merge.target_path);
  const names = (merge.target_path as { names?: { id_string?: string }[] }).names ?? [];
  const alias = ((merge.alias as Node | undefined)?.identifier as { id_string?: string } | undefined)?.id_string ?? names[names.length - 1]?.id_string;
  const values = text(action.insert_row).trim().replace(/^\(/, "").replace(/\)$/, "");
  return [
    `INSERT INTO ${target} ${text(action.insert_column_list)}`,
    `SELECT ${values}`,
    `FROM ${text(merge.table_expression)}`,
    `WHERE NOT EXISTS (SELECT 1 FROM ${target} AS \`${alias}\` WHERE ${text(merge.merge_condition)})`,
  ].join("\n");
}
