/**
 * Evaluated views, kept so that readers of one view over unchanged tables do not evaluate it again
 * (the sharded reconciliation reads the whole day's dedup view once per shard and query).
 *
 * A view's rows are a function of the view, the base columns sent, the base rows kept by the
 * pushed-down filter, and the base tables' contents. The key names all of them: the view id, the
 * sorted base columns, the pushed filter's canonical text (rowFilterKey in scan-plan.ts: columns by
 * name, parameters by value) and a version token per base table from the caller (the local
 * warehouse changes it on every insert or rewrite). Without a token for every base table nothing is
 * cached. The reader's other conjuncts (e.g. a hash shard) are applied to the cached rows as before.
 */

import { LRUCache } from "lru-cache";
import type { Row } from "../../functions/runtime/warehouse";

/** A version token per base table (`dataset.table`): equal tokens promise equal rows. */
export type TableVersions = Readonly<Record<string, string>>;

/** What shaped one evaluation of a view. */
export interface ViewInput {
  view: string;
  /** Base columns sent to the view's evaluation. */
  columns: Iterable<string>;
  /** Canonical text of the filter applied to its base rows (rowFilterKey; "" for none). */
  filter: string;
  /** Tables the view reads. */
  tables: readonly string[];
}

export class ViewCache {
  private readonly settled: LRUCache<string, readonly Row[]> | undefined;
  // Concurrent readers of one view (summary and discrepancies of a shard) share one evaluation.
  private readonly pending = new Map<string, Promise<readonly Row[]>>();

  /** @param maxRows bound of the rows held over all cached views; 0 disables the cache. */
  constructor(maxRows: number) {
    this.settled = maxRows > 0 ? new LRUCache({ maxSize: maxRows, sizeCalculation: (rows) => rows.length + 1 }) : undefined;
  }

  /** The key of one evaluation, or undefined when some table read has no version (not cacheable). */
  key(input: ViewInput, versions: TableVersions | undefined): string | undefined {
    if (!this.settled || !versions) return undefined;
    const tableVersions = [...input.tables].sort().map((t) => [t, versions[t]]);
    if (tableVersions.some(([, v]) => v === undefined)) return undefined;
    return JSON.stringify([input.view, [...input.columns].sort(), input.filter, tableVersions]);
  }

  /** The cached rows of `key`, else evaluates them (once, for concurrent callers) and keeps them. */
  async rows(key: string | undefined, evaluate: () => Promise<readonly Row[]>): Promise<readonly Row[]> {
    if (key === undefined || !this.settled) return evaluate();
    const hit = this.settled.get(key) ?? this.pending.get(key);
    if (hit) return hit;
    const running = evaluate();
    this.pending.set(key, running);
    try {
      const rows = await running;
      this.settled.set(key, rows);
      return rows;
    } finally {
      this.pending.delete(key);
    }
  }
}
