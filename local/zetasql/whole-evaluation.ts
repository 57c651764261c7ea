import type { QueryParam } from "../../functions/runtime/warehouse";
import { canonicalStatement, type BuiltCatalog } from "./catalog";
import type { ZetaSqlConnection } from "./connection";
import type { QueryOutput, RequestStats, TableRows } from "./evaluation-types";
import { encodeTable, type EncodedTable } from "./table-encoding";

/**
 * The reference path the pushdown is tested against: whole tables sent, a view not given as rows
 * evaluated whole first and sent as a table.
 */
export async function evaluateWhole(
  conn: ZetaSqlConnection,
  cat: BuiltCatalog,
  sql: string,
  tables: TableRows,
  params: Record<string, QueryParam>,
  requests: RequestStats[],
): Promise<QueryOutput> {
  const { text, ids } = await canonicalStatement(conn, cat, sql);
  const content: Record<string, EncodedTable> = {};
  for (const id of ids) {
    const view = cat.views.get(id);
    const rows = view && tables[id] === undefined ? (await evaluateWhole(conn, cat, view.sql, tables, {}, requests)).rows : (tables[id] ?? []);
    content[id] = encodeTable(id, cat.tables.get(id)!.columns, rows).table;
  }
  return conn.evaluateQuery(text, cat.proto, content, params, requests);
}
