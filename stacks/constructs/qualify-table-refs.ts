/**
 * SQL files in sql/ name tables dataset-qualified (`FROM curated.commerce_events`, backticks optional),
 * so the same text runs in every project and locally. A view stored in BigQuery must not depend on the
 * querying job's default project, so the stack pins each such reference to the view's project:
 * backticked `dataset.table` anywhere, and bare dataset.table right after FROM or JOIN (a bare
 * `ref.sku` elsewhere may be a column of an alias, so it is left alone).
 */
export function qualifyTableRefs(sql: string, project: string, datasets: readonly string[]): string {
  const ds = datasets.map(escapeRegExp).join("|");
  const backticked = new RegExp("`(" + ds + ")\\.(\\w+)`", "g");
  const afterFromOrJoin = new RegExp("\\b(FROM|JOIN)(\\s+)(" + ds + ")\\.(\\w+)\\b", "gi");
  return sql
    .replace(backticked, (_m, dataset: string, table: string) => `\`${project}.${dataset}.${table}\``)
    .replace(afterFromOrJoin, (_m, kw: string, ws: string, dataset: string, table: string) => `${kw}${ws}\`${project}.${dataset}.${table}\``);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
