import { DAY_MS } from "../../config/calendar-date";
import type { Logger } from "../runtime/logger";
import { sqlStatementsLoader } from "../runtime/sql-files";
import type { Warehouse } from "../runtime/warehouse";
import { indexReferenceData, type ReferenceData } from "./reference-data";

/** The reference lookups, by file under sql/ (tiny SELECTs over the `ref` dataset); the recompute canary reads them too. */
export const REFERENCE_SQL = {
  products: "reference/products.sql",
  stores: "reference/stores.sql",
  fxRates: "reference/fx_rates.sql",
} as const;
/** Reads the reference lookups once, at cold start. */
export const loadReferenceQueries = sqlStatementsLoader(REFERENCE_SQL);
export type ReferenceQueries = ReturnType<typeof loadReferenceQueries>;

/** How far back FX rates are loaded: late events still find the rate of their day. */
export const FX_LOOKBACK_DAYS = 45;

export async function loadReferenceData(warehouse: Pick<Warehouse, "query">, queries: ReferenceQueries, nowMs: number): Promise<ReferenceData> {
  const since = new Date(nowMs - FX_LOOKBACK_DAYS * DAY_MS).toISOString().slice(0, 10);
  const [products, stores, fxRates] = await Promise.all([
    warehouse.query<{ sku: string; category: string; brand: string }>(queries.products),
    warehouse.query<{ store_id: string; region: string; time_zone: string }>(queries.stores),
    warehouse.query<{ currency: string; rate_date: string; usd_per_unit: string }>(queries.fxRates, {
      since: { type: "DATE", value: since },
    }),
  ]);
  return indexReferenceData({ products: products.rows, stores: stores.rows, fxRates: fxRates.rows });
}

export interface ReferenceCacheOptions {
  /** Age after which a snapshot is refreshed in the background, in ms. */
  ttlMs: number;
  /** Loads a fresh snapshot. */
  load: () => Promise<ReferenceData>;
  logger?: Logger;
  /** Clock in epoch ms. Default: Date.now. */
  now?: () => number;
}

/**
 * Reference data with a TTL that never blocks the hot path once loaded: a stale snapshot is served
 * while one background refresh runs; a failed refresh keeps the old snapshot and is retried on the
 * next call. Only the very first load (cold start) is awaited.
 */
export class ReferenceCache {
  private snapshot: ReferenceData | null = null;
  private loadedAt = 0;
  private inflight: Promise<ReferenceData> | null = null;
  private readonly now: () => number;

  constructor(private readonly opts: ReferenceCacheOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** The current snapshot; awaits only when none was loaded yet (a failure there rejects). */
  get(): Promise<ReferenceData> | ReferenceData {
    if (this.snapshot === null) return this.refresh();
    if (this.now() - this.loadedAt >= this.opts.ttlMs && this.inflight === null) {
      this.refresh().catch((e: unknown) =>
        this.opts.logger?.warn({ err: e, event: "reference_refresh_failed" }, "reference data refresh failed; serving the previous snapshot"),
      );
    }
    return this.snapshot;
  }

  /** Starts (or joins) a load and swaps the snapshot when it completes. */
  refresh(): Promise<ReferenceData> {
    if (this.inflight) return this.inflight;
    const started = this.now();
    this.inflight = this.opts
      .load()
      .then((data) => {
        this.snapshot = data;
        this.loadedAt = started;
        this.opts.logger?.info(
          { event: "reference_loaded", products: data.products.size, stores: data.stores.size, currencies: data.fxRates.size, load_ms: this.now() - started },
          "reference data loaded",
        );
        return data;
      })
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }
}
