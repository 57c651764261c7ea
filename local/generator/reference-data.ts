import type { Channel, FxRateRow, ProductRow, StoreRow } from "../../contracts";
import { SeededRandom } from "./random";

/** A store or storefront the generator sells through. */
export interface StoreSpec {
  store_id: string;
  region: string;
  time_zone: string;
  country: string;
  /** Currency its prices and orders are in. */
  currency: string;
  /** web and app storefronts take only their channel; physical stores take "store". */
  channel: Channel;
}

// A European retailer: stores on three UTC offsets, so business days close at different instants.
export const STORES: readonly StoreSpec[] = [
  { store_id: "ams-centraal", region: "benelux", time_zone: "Europe/Amsterdam", country: "NL", currency: "EUR", channel: "store" },
  { store_id: "rtm-lijnbaan", region: "benelux", time_zone: "Europe/Amsterdam", country: "NL", currency: "EUR", channel: "store" },
  { store_id: "bru-nieuwstraat", region: "benelux", time_zone: "Europe/Brussels", country: "BE", currency: "EUR", channel: "store" },
  { store_id: "ber-alexanderplatz", region: "dach", time_zone: "Europe/Berlin", country: "DE", currency: "EUR", channel: "store" },
  { store_id: "par-rivoli", region: "france", time_zone: "Europe/Paris", country: "FR", currency: "EUR", channel: "store" },
  { store_id: "lon-oxford-st", region: "uk-ie", time_zone: "Europe/London", country: "GB", currency: "GBP", channel: "store" },
  { store_id: "dub-grafton-st", region: "uk-ie", time_zone: "Europe/Dublin", country: "IE", currency: "EUR", channel: "store" },
  { store_id: "hel-kamppi", region: "nordics", time_zone: "Europe/Helsinki", country: "FI", currency: "EUR", channel: "store" },
  { store_id: "sto-drottninggatan", region: "nordics", time_zone: "Europe/Stockholm", country: "SE", currency: "SEK", channel: "store" },
  { store_id: "web-eu", region: "online", time_zone: "Europe/Amsterdam", country: "NL", currency: "EUR", channel: "web" },
  { store_id: "web-uk", region: "online", time_zone: "Europe/London", country: "GB", currency: "GBP", channel: "web" },
  { store_id: "app-eu", region: "online", time_zone: "Europe/Amsterdam", country: "NL", currency: "EUR", channel: "app" },
];

/** The flagship: takes a large share of in-store traffic (a hot key for partitioning and clustering). */
export const HOT_STORE_ID = "ams-centraal";

const CATEGORIES = ["apparel", "footwear", "accessories", "home", "beauty", "electronics", "toys", "grocery"] as const;
const BRANDS = ["Northwind", "Contoso", "Fabrikam", "Tailspin", "Litware", "Adatum", "Proseware", "Wingtip"] as const;

/** Approximate USD per unit; the daily rates wobble around these. */
const USD_PER_UNIT: Readonly<Record<string, number>> = { EUR: 1.08, GBP: 1.27, SEK: 0.095, USD: 1 };

export interface Product extends ProductRow {
  /** List price in EUR; other currencies convert from it. */
  price_eur: number;
}

export interface ReferenceData {
  products: Product[];
  stores: StoreRow[];
  fxRates: FxRateRow[];
}

/** Catalogue, stores and FX rates for `rateDates`, deterministic for a seed. */
export function generateReferenceData(seed: number, rateDates: readonly string[], updatedAt: string, productCount = 250): ReferenceData {
  const rng = new SeededRandom(seed ^ 0x5eed);
  const products: Product[] = Array.from({ length: productCount }, (_, i) => ({
    sku: `SKU-${String(i + 1).padStart(5, "0")}`,
    category: rng.pick(CATEGORIES),
    brand: rng.pick(BRANDS),
    updated_at: updatedAt,
    price_eur: rng.int(199, 19999) / 100,
  }));
  const stores: StoreRow[] = STORES.map((s) => ({
    store_id: s.store_id,
    region: s.region,
    time_zone: s.time_zone,
    country: s.country,
    updated_at: updatedAt,
  }));
  const fxRates: FxRateRow[] = [];
  for (const date of rateDates) {
    for (const [currency, usd] of Object.entries(USD_PER_UNIT)) {
      const rate = currency === "USD" ? 1 : usd * (1 + (rng.next() - 0.5) * 0.01);
      fxRates.push({ currency, rate_date: date, usd_per_unit: rate.toFixed(6) });
    }
  }
  return { products, stores, fxRates };
}

/** A product's price in `currency`, two decimals, as a NUMERIC decimal string. */
export function localPrice(product: Product, currency: string): string {
  const eur = USD_PER_UNIT.EUR;
  return ((product.price_eur * eur) / (USD_PER_UNIT[currency] ?? 1)).toFixed(2);
}
