import type { FieldType, Fields } from "../field";
import { tableId, type TableContract } from "../table";

// The ZetaSQL catalog the SQL in sql/ is analysed and evaluated against, derived from the same
// contracts as the BigQuery schemas so the analyser sees exactly the columns the stacks create.
// Shapes follow zetasql's SimpleCatalogProto / SimpleTableProto (snake_case, enum names as strings).

/** Contract type -> ZetaSQL type kind (BigQuery FLOAT64 is ZetaSQL DOUBLE; a string map is JSON). */
export const ZETASQL_TYPE_KIND: Record<FieldType, string> = {
  STRING: "TYPE_STRING",
  INT64: "TYPE_INT64",
  NUMERIC: "TYPE_NUMERIC",
  FLOAT64: "TYPE_DOUBLE",
  BOOL: "TYPE_BOOL",
  TIMESTAMP: "TYPE_TIMESTAMP",
  DATE: "TYPE_DATE",
  BYTES: "TYPE_BYTES",
  STRING_MAP: "TYPE_JSON",
};

/** ZetaSQL `TypeProto` (enum names as strings). */
export interface ZetaSqlTypeProto {
  type_kind: string;
  array_type?: { element_type: ZetaSqlTypeProto };
  struct_type?: { field?: { field_name?: string; field_type: ZetaSqlTypeProto }[] };
}

export interface ZetaSqlColumnProto {
  name: string;
  type: ZetaSqlTypeProto;
}

export interface ZetaSqlTableProto {
  /** The table's own name: always `dataset.table`, so resolved scans and table contents use one key. */
  name: string;
  /** The name it is found by in its (sub-)catalog. */
  name_in_catalog: string;
  column: ZetaSqlColumnProto[];
  /** Indexes of primary-key columns (only set for evaluation of DELETE/UPDATE). */
  primary_key_column_index?: number[];
}

export interface ZetaSqlCatalogProto {
  name: string;
  table?: ZetaSqlTableProto[];
  catalog?: ZetaSqlCatalogProto[];
  /** Which builtin functions exist: set by the caller to the analyser's language options. */
  builtin_function_options?: { language_options: Record<string, unknown> };
}

/** A table (or view) as the catalog sees it: `dataset.table` and its typed columns in order. */
export interface CatalogTable {
  id: string;
  columns: ZetaSqlColumnProto[];
}

export function toZetaSqlColumns(fields: Fields): ZetaSqlColumnProto[] {
  return Object.entries(fields).map(([name, f]) => ({ name, type: { type_kind: ZETASQL_TYPE_KIND[f.type] } }));
}

export function toCatalogTable(t: Pick<TableContract, "dataset" | "table" | "fields">): CatalogTable {
  return { id: tableId(t), columns: toZetaSqlColumns(t.fields) };
}

/**
 * A catalog in which every table resolves the ways BigQuery SQL names it: `dataset.table`,
 * `` `dataset.table` ``, `project.dataset.table` and `` `project.dataset.table` `` (for each of `projects`).
 * Unquoted paths resolve through nested catalogs (project -> dataset -> table); a backticked dotted
 * name is one identifier to ZetaSQL, so it is also registered at the root under that dotted name.
 */
export function toZetaSqlCatalog(tables: readonly CatalogTable[], opts: { projects?: readonly string[] } = {}): ZetaSqlCatalogProto {
  const projects = opts.projects ?? [];
  const proto = (t: CatalogTable, nameInCatalog: string): ZetaSqlTableProto => ({ name: t.id, name_in_catalog: nameInCatalog, column: t.columns });
  const datasetCatalogs = (): ZetaSqlCatalogProto[] => {
    const byDataset = new Map<string, CatalogTable[]>();
    for (const t of tables) {
      const [dataset] = splitId(t.id);
      byDataset.set(dataset, [...(byDataset.get(dataset) ?? []), t]);
    }
    return [...byDataset].map(([dataset, ts]) => ({ name: dataset, table: ts.map((t) => proto(t, splitId(t.id)[1])) }));
  };
  return {
    name: "streamline",
    table: [
      ...tables.map((t) => proto(t, t.id)),
      ...projects.flatMap((p) => tables.map((t) => proto(t, `${p}.${t.id}`))),
    ],
    catalog: [...datasetCatalogs(), ...projects.map((p) => ({ name: p, catalog: datasetCatalogs() }))],
  };
}

function splitId(id: string): [string, string] {
  const dot = id.indexOf(".");
  if (dot <= 0) throw new Error(`catalog table id must be dataset.table, got ${JSON.stringify(id)}`);
  return [id.slice(0, dot), id.slice(dot + 1)];
}
