import { existsSync, readFileSync, readdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { ENVIRONMENTS, loadConfig } from "../../config";
import { TABLES } from "../../contracts/tables";
import { toCatalogTable, toZetaSqlCatalog, type CatalogTable, type ZetaSqlCatalogProto } from "../../contracts/derive/zetasql-catalog";
import type { ZetaSqlConnection } from "./connection";
import { ZetaSqlError } from "./grpc-client";
import { parseSqlHeader } from "./sql-header";
import { canonicaliseTableRefs, findTableRefs } from "./table-refs";
import type { ZetaType } from "./types";

const REPO_ROOT = resolve(__dirname, "..", "..");

/** A view from sql/views: its name, its SELECT and its output columns (as the analyser resolved them). */
export interface CatalogView extends CatalogTable {
  sql: string;
}

/** The contract's tables and the sql/views views, keyed by `dataset.table`, and the catalog proto declaring them. */
export interface BuiltCatalog {
  proto: ZetaSqlCatalogProto;
  /** Tables and views. */
  tables: Map<string, CatalogTable>;
  views: Map<string, CatalogView>;
  projects: readonly string[];
}

/**
 * Builds the catalog: every contract table, then the views of `viewsDir` (default `<repo>/sql/views`,
 * null for none) with the columns ZetaSQL resolves for them.
 */
export async function buildCatalog(conn: ZetaSqlConnection, opts: { projects?: readonly string[]; viewsDir?: string | null }): Promise<BuiltCatalog> {
  const projects = opts.projects ?? ENVIRONMENTS.map((e) => loadConfig(e).project);
  const tables = new Map<string, CatalogTable>(TABLES.map((t) => [`${t.dataset}.${t.table}`, toCatalogTable(t)]));
  const views = new Map<string, CatalogView>();
  const pending = loadViewFiles(opts.viewsDir === undefined ? join(REPO_ROOT, "sql", "views") : opts.viewsDir);
  const catalogProto = () => catalogOf([...tables.values()], projects, conn.languageOptions);
  // Views may read views: resolve in rounds until no more resolve.
  let lastErrors: string[] = [];
  while (pending.length > 0) {
    const proto = catalogProto();
    lastErrors = [];
    for (const v of [...pending]) {
      try {
        const stmt = await conn.analyze(proto, v.sql, {});
        const out = (stmt.resolved_query_stmt_node as { output_column_list?: { name: string; column: { type: ZetaType } }[] } | undefined)?.output_column_list;
        if (!out) throw new ZetaSqlError("a view must be a single SELECT");
        const view = { id: v.id, sql: v.sql, columns: out.map((c) => ({ name: c.name, type: c.column.type })) };
        views.set(v.id, view);
        tables.set(v.id, view);
        pending.splice(pending.indexOf(v), 1);
      } catch (e) {
        lastErrors.push(`${v.file}: ${(e as Error).message}`);
      }
    }
    if (pending.length > 0 && lastErrors.length === pending.length) throw new ZetaSqlError(`views in sql/views do not resolve:\n${lastErrors.join("\n")}`);
  }
  return { proto: catalogProto(), tables, views, projects };
}

/** The catalog with the given tables declaring only the given columns (in catalog order). */
export function prunedCatalog(cat: BuiltCatalog, columnsSent: ReadonlyMap<string, CatalogTable["columns"]>, languageOptions: Record<string, unknown>): ZetaSqlCatalogProto {
  const tables = [...cat.tables.values()].map((t) => (columnsSent.has(t.id) ? { ...t, columns: columnsSent.get(t.id)! } : t));
  return catalogOf(tables, cat.projects, languageOptions);
}

/** The statement with every catalog table named `dataset.table`, and the ids it reads or writes (its own, not through views). */
export async function canonicalStatement(conn: ZetaSqlConnection, cat: BuiltCatalog, sql: string): Promise<{ text: string; ids: string[] }> {
  const refs = findTableRefs(await conn.parse(sql), new Set(cat.tables.keys()));
  return { text: canonicaliseTableRefs(sql, refs), ids: [...new Set(refs.map((r) => r.id))] };
}

function catalogOf(tables: CatalogTable[], projects: readonly string[], languageOptions: Record<string, unknown>): ZetaSqlCatalogProto {
  return {
    ...toZetaSqlCatalog(tables, { projects }),
    // The same language options as the analyser, so every BigQuery function it allows exists.
    builtin_function_options: { language_options: languageOptions },
  };
}

function loadViewFiles(dir: string | null): { id: string; sql: string; file: string }[] {
  if (!dir || !existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      const sql = readFileSync(file, "utf8");
      // Default dataset: curated, where the dedup view lives; `-- @view dataset.name` overrides.
      return { id: parseSqlHeader(sql, file).view ?? `curated.${basename(f, ".sql")}`, sql, file };
    });
}

/**
 * `dataset.table` of every catalog table or view the statement reads or writes, from its parse
 * tree; with `throughViews` also the tables the referenced views read.
 */
export async function referencedTables(conn: ZetaSqlConnection, cat: BuiltCatalog, sql: string, throughViews = true): Promise<string[]> {
  const found = new Set<string>();
  const visit = async (text: string): Promise<void> => {
    for (const r of findTableRefs(await conn.parse(text), new Set(cat.tables.keys()))) {
      if (found.has(r.id)) continue;
      found.add(r.id);
      const view = cat.views.get(r.id);
      if (view && throughViews) await visit(view.sql);
    }
  };
  await visit(sql);
  return [...found];
}
