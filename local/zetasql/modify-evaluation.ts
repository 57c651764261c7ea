import type { ZetaSqlCatalogProto } from "../../contracts/derive/zetasql-catalog";
import type { QueryParam, Row } from "../../functions/runtime/warehouse";
import type { BuiltCatalog } from "./catalog";
import type { ZetaSqlConnection } from "./connection";
import type { ModifyOutput, RowChange, TableRows } from "./evaluation-types";
import { ZetaSqlError } from "./grpc-client";
import { mergeAsInsert } from "./merge-as-insert";
import { canonicaliseTableRefs, findTableRefs } from "./table-refs";
import { decodeRow, encodeTable, type EncodedTable } from "./table-encoding";

// Extra primary-key column given to a DELETE/UPDATE target so ZetaSQL reports which input rows changed.
const ROW_INDEX_COLUMN = "__streamline_row_index";

/**
 * Executes INSERT, UPDATE or DELETE over the given rows and returns the changes to apply. ZetaSQL
 * cannot execute MERGE; the insert-if-missing shape is rewritten (merge-as-insert.ts). A view the
 * statement reads is given as rows by `viewRows`.
 */
export async function evaluateModify(
  conn: ZetaSqlConnection,
  cat: BuiltCatalog,
  sql: string,
  tables: TableRows,
  params: Record<string, QueryParam>,
  viewRows: (viewSql: string) => Promise<readonly Row[]>,
): Promise<ModifyOutput> {
  const tree = await conn.parse(sql);
  const stmt = Object.keys((tree as Record<string, unknown>) ?? {})[0] ?? "";
  if (stmt === "ast_merge_statement_node") {
    let insert: string;
    try {
      insert = mergeAsInsert(sql, (tree as Record<string, Record<string, unknown>>)[stmt]);
    } catch (e) {
      throw new ZetaSqlError((e as Error).message);
    }
    return evaluateModify(conn, cat, insert, tables, params, viewRows);
  }
  const refs = findTableRefs(tree, new Set(cat.tables.keys()));
  const text = canonicaliseTableRefs(sql, refs);
  const target = findTableRefs(pick(tree, "target_path"), new Set(cat.tables.keys()))[0]?.id;
  if (!target || cat.views.has(target)) throw new ZetaSqlError(`a DML statement must target a catalog table, got: ${sql.slice(0, 120)}`);
  const content: Record<string, EncodedTable> = {};
  for (const id of new Set(refs.map((r) => r.id))) {
    const view = cat.views.get(id);
    const rows = view && tables[id] === undefined ? await viewRows(view.sql) : (tables[id] ?? []);
    content[id] = encodeTable(id, cat.tables.get(id)!.columns, rows).table;
  }
  const columns = cat.tables.get(target)!.columns;
  let catalog = cat.proto;
  const keyed = stmt !== "ast_insert_statement_node";
  if (keyed) {
    // The target gets a row-index primary key so ZetaSQL names the rows it deleted or updated.
    catalog = withRowIndex(cat.proto, target, columns.length);
    const rows = content[target]?.table_data.row ?? [];
    rows.forEach((r, i) => r.cell.push({ int64_value: String(i) }));
  }
  const changes = (await conn.evaluateModify(text, catalog, content, params)).map((c): RowChange => {
    const change: RowChange = { operation: c.operation };
    if (c.cell && c.operation !== "DELETE") change.row = decodeRow(c.cell.slice(0, columns.length), columns);
    if (keyed && c.old_primary_key?.[0]) change.index = Number(c.old_primary_key[0].int64_value);
    return change;
  });
  return { table: target, changes };
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
