import type { CommerceEvent, CuratedRow, ENRICHMENT_STATUSES } from "../../contracts";
import { fitsNumeric, formatNumeric, multiplyNumeric, multiplyNumericByInteger, parseNumeric } from "../../contracts/numeric";
import { decodeEvent, poison, type Poison } from "./decode";
import { localDate } from "../../config/calendar-date";
import { payloadFingerprint } from "./payload-fingerprint";
import { isoTimestamp } from "./timestamps";
import { usdPerUnit, type ReferenceData } from "./reference-data";

export { decodeEvent, type Poison, type PoisonReason, type Stage } from "./decode";

export type EnrichmentStatus = (typeof ENRICHMENT_STATUSES)[number];

export interface CoreOptions {
  /** An event ingested more than this many seconds after occurred_at is flagged is_late. */
  lateThresholdSeconds: number;
  /** Written to every row. */
  pipelineVersion: string;
}

export interface Enriched {
  kind: "ok";
  row: CuratedRow;
  eventId: string;
  /** What the publisher sent, hashed: copies of one event_id that differ here conflict. */
  fingerprint: string;
  /** ingest_time - occurred_at, in ms: the freshness this row contributes. */
  freshnessMs: number;
}

/** The curated row for a valid event: reference lookups, business date, revenue, lateness. */
export function enrichEvent(event: CommerceEvent, occurredMs: number, ref: ReferenceData, ingestMs: number, opts: CoreOptions): Enriched | Poison {
  const unknown: EnrichmentStatus[] = [];
  const product = event.sku != null ? ref.products.get(event.sku) : undefined;
  if (event.sku != null && !product) unknown.push("unknown_sku");
  const store = ref.stores.get(event.store_id);
  if (!store) unknown.push("unknown_store");
  const eventDate = localDate(occurredMs, store?.timeZone ?? null);

  let revenueUsd: string | null = null;
  if (event.event_type === "order.placed" && event.quantity != null && event.unit_price != null && event.currency != null) {
    const rate = usdPerUnit(ref, event.currency, eventDate);
    const price = parseNumeric(event.unit_price);
    if (rate === null) unknown.push("unknown_fx");
    else if (price !== null) {
      const revenue = multiplyNumeric(multiplyNumericByInteger(price, event.quantity), rate);
      if (!fitsNumeric(revenue)) return poison("revenue_out_of_range", `quantity * unit_price * usd_per_unit exceeds NUMERIC: ${event.quantity} * ${event.unit_price}`, "enrich");
      revenueUsd = formatNumeric(revenue);
    }
  }

  const freshnessMs = ingestMs - occurredMs;
  const row: CuratedRow = {
    event_id: event.event_id,
    event_type: event.event_type,
    occurred_at: event.occurred_at,
    user_id: event.user_id ?? null,
    session_id: event.session_id ?? null,
    store_id: event.store_id,
    channel: event.channel,
    sku: event.sku ?? null,
    quantity: event.quantity ?? null,
    unit_price: event.unit_price ?? null,
    currency: event.currency ?? null,
    order_id: event.order_id ?? null,
    attributes: event.attributes != null ? JSON.stringify(event.attributes) : null,
    product_category: product?.category ?? null,
    product_brand: product?.brand ?? null,
    store_region: store?.region ?? null,
    store_time_zone: store?.timeZone ?? null,
    revenue_usd: revenueUsd,
    event_date: eventDate,
    ingest_time: isoTimestamp(ingestMs),
    is_late: freshnessMs > opts.lateThresholdSeconds * 1000,
    enrichment_status: unknown.length === 0 ? "complete" : unknown.length === 1 ? unknown[0] : "incomplete",
    source: "stream",
    pipeline_version: opts.pipelineVersion,
  };
  return { kind: "ok", row, eventId: event.event_id, fingerprint: payloadFingerprint(event), freshnessMs };
}

/** Message bytes -> curated row or poison verdict. Pure (given the snapshot and clock) and never throws. */
export function processMessage(data: Buffer, ref: ReferenceData, ingestMs: number, opts: CoreOptions): Enriched | Poison {
  const decoded = decodeEvent(data);
  if (decoded.kind === "poison") return decoded;
  return enrichEvent(decoded.event, decoded.occurredMs, ref, ingestMs, opts);
}
