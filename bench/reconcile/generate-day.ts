import type { Row } from "../../functions/runtime/warehouse";
import { dayCloseInstant, addDays } from "../../config/calendar-date";
import type { DiscrepancyKind } from "../../functions/reconciliation/discrepancies";

/** Mulberry32: a small seeded PRNG, so every run generates the same day. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STORES = [
  { store_id: "S-AMS", time_zone: "Europe/Amsterdam" },
  { store_id: "S-TYO", time_zone: "Asia/Tokyo" },
  { store_id: "S-LAX", time_zone: "America/Los_Angeles" },
  { store_id: "WEB-EU", time_zone: "UTC" },
] as const;
const CHANNELS = ["web", "app", "store"] as const;

export interface DayOptions {
  runDate: string;
  /** Ledger orders of the day. */
  orders: number;
  /** Orders per injected discrepancy kind (disjoint orders). */
  inject: Partial<Record<DiscrepancyKind, number>>;
  lateAllowanceHours: number;
  seed: number;
}

export interface GeneratedDay {
  curated: Row[];
  ledger: Row[];
  injected: Partial<Record<DiscrepancyKind, number>>;
}

const usd = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;

/**
 * One business day of ledger orders and the stream's order.placed rows for them, with known
 * drift planted on disjoint orders: missing (not streamed), extra (streamed, not booked),
 * duplicate (written twice), amount_mismatch (USD amount off by a few cents to dollars) and
 * late_arrival (ingested after the store's day closed, inside the allowance).
 */
export function generateDay(o: DayOptions): GeneratedDay {
  const rnd = prng(o.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const open = new Map(STORES.map((s) => [s.store_id, dayCloseInstant(addDays(o.runDate, -1), s.time_zone).getTime()]));
  const close = new Map(STORES.map((s) => [s.store_id, dayCloseInstant(o.runDate, s.time_zone).getTime()]));

  // Assign each planted kind a disjoint block of order numbers.
  const kinds = Object.entries(o.inject) as [DiscrepancyKind, number][];
  const kindOf = new Map<number, DiscrepancyKind>();
  let next = 0;
  for (const [kind, n] of kinds) {
    if (kind === "extra_in_stream") continue;
    for (let i = 0; i < n; i++) kindOf.set(next++, kind);
  }
  if (next > o.orders) throw new Error(`cannot plant ${next} discrepancies in ${o.orders} orders`);

  const curated: Row[] = [];
  const ledger: Row[] = [];
  const streamed = (orderId: string, store: (typeof STORES)[number], channel: string, occurred: number, ingest: number, qty: number, priceCents: number, revenueCents: number): Row => ({
    event_id: `p-${orderId}`,
    event_type: "order.placed",
    occurred_at: new Date(occurred).toISOString(),
    user_id: `U-${Math.floor(rnd() * 50_000)}`,
    session_id: null,
    store_id: store.store_id,
    channel,
    sku: `SKU-${Math.floor(rnd() * 5000)}`,
    quantity: qty,
    unit_price: usd(priceCents),
    currency: "USD",
    order_id: orderId,
    attributes: null,
    product_category: "general",
    product_brand: "Acme",
    store_region: "EU",
    store_time_zone: store.time_zone,
    revenue_usd: usd(revenueCents),
    event_date: o.runDate,
    ingest_time: new Date(ingest).toISOString(),
    is_late: false,
    enrichment_status: "complete",
    source: "stream",
    pipeline_version: "bench",
  });

  const order = (i: number, prefix: string) => {
    const store = pick(STORES);
    const channel = pick(CHANNELS);
    const start = open.get(store.store_id)!;
    const end = close.get(store.store_id)!;
    // Placed before the last 10 minutes of the local day, so ordinary ingest (<= 60 s) is on time.
    const occurred = start + Math.floor(rnd() * (end - start - 600_000));
    const qty = 1 + Math.floor(rnd() * 5);
    const priceCents = 100 + Math.floor(rnd() * 9900);
    return { orderId: `${prefix}-${String(i).padStart(7, "0")}`, store, channel, occurred, qty, priceCents, revenueCents: qty * priceCents, end };
  };

  for (let i = 0; i < o.orders; i++) {
    const x = order(i, "O");
    const kind = kindOf.get(i);
    ledger.push({
      order_id: x.orderId,
      order_date: o.runDate,
      placed_at: new Date(x.occurred).toISOString(),
      store_id: x.store.store_id,
      channel: x.channel,
      user_id: null,
      sku: "SKU-1",
      quantity: x.qty,
      unit_price: usd(x.priceCents),
      currency: "USD",
      amount_usd: usd(x.revenueCents),
      status: "placed",
      exported_at: new Date(x.end + 3 * 3_600_000).toISOString(),
    });
    if (kind === "missing_in_stream") continue;
    const ingest =
      kind === "late_arrival" ? x.end + Math.floor(rnd() * (o.lateAllowanceHours * 3_600_000 - 1000)) : x.occurred + 1000 + Math.floor(rnd() * 59_000);
    const revenue = kind === "amount_mismatch" ? x.revenueCents + 1 + Math.floor(rnd() * 500) : x.revenueCents;
    const row = streamed(x.orderId, x.store, x.channel, x.occurred, ingest, x.qty, x.priceCents, revenue);
    curated.push(row);
    if (kind === "duplicate_in_stream") curated.push({ ...row, ingest_time: new Date(ingest + 5000).toISOString() });
  }
  for (let i = 0; i < (o.inject.extra_in_stream ?? 0); i++) {
    const x = order(i, "X");
    curated.push(streamed(x.orderId, x.store, x.channel, x.occurred, x.occurred + 2000, x.qty, x.priceCents, x.revenueCents));
  }
  return { curated, ledger, injected: o.inject };
}
