import type { FxRateRow, ProductRow, StoreRow } from "../../contracts";
import { NUMERIC_ONE, parseNumeric, type Numeric } from "../../contracts/numeric";

export interface ProductInfo {
  category: string;
  brand: string;
}

export interface StoreInfo {
  region: string;
  timeZone: string;
}

/** An immutable snapshot of the reference tables, indexed for the hot path. */
export interface ReferenceData {
  products: ReadonlyMap<string, ProductInfo>;
  stores: ReadonlyMap<string, StoreInfo>;
  /** Per currency, rates newest first. */
  fxRates: ReadonlyMap<string, readonly { rateDate: string; usdPerUnit: Numeric }[]>;
}

export const EMPTY_REFERENCE_DATA: ReferenceData = { products: new Map(), stores: new Map(), fxRates: new Map() };

/** Indexes reference rows as the warehouse returns them. */
export function indexReferenceData(rows: {
  products: Pick<ProductRow, "sku" | "category" | "brand">[];
  stores: Pick<StoreRow, "store_id" | "region" | "time_zone">[];
  fxRates: Pick<FxRateRow, "currency" | "rate_date" | "usd_per_unit">[];
}): ReferenceData {
  const fx = new Map<string, { rateDate: string; usdPerUnit: Numeric }[]>();
  for (const r of rows.fxRates) {
    const rate = parseNumeric(String(r.usd_per_unit));
    if (rate === null) continue;
    const list = fx.get(r.currency) ?? [];
    list.push({ rateDate: String(r.rate_date), usdPerUnit: rate });
    fx.set(r.currency, list);
  }
  for (const list of fx.values()) list.sort((a, b) => (a.rateDate < b.rateDate ? 1 : a.rateDate > b.rateDate ? -1 : 0));
  return {
    products: new Map(rows.products.map((p) => [p.sku, { category: p.category, brand: p.brand }])),
    stores: new Map(rows.stores.map((s) => [s.store_id, { region: s.region, timeZone: s.time_zone }])),
    fxRates: fx,
  };
}

/** USD per unit of `currency` on `date` (YYYY-MM-DD): that day's rate, else the latest before it. */
export function usdPerUnit(ref: ReferenceData, currency: string, date: string): Numeric | null {
  if (currency === "USD") return NUMERIC_ONE;
  const rates = ref.fxRates.get(currency);
  if (!rates) return null;
  for (const r of rates) if (r.rateDate <= date) return r.usdPerUnit;
  return null;
}
