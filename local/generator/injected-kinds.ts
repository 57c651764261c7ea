import { DISCREPANCY_KINDS } from "../../contracts";

export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];

/** Everything the generator deliberately puts into a day, so the report can be checked against it. */
export const INJECTED_KINDS = [
  /** Same message published twice (a publisher retry): the function must drop the second. */
  "duplicate",
  /** Avro-valid but contract-invalid: the function must dead-letter it with a reason. */
  "poison",
  /** occurred_at hours before publish (an offline till catching up): flagged is_late. */
  "late",
  /** Events of the flagship store (a hot key). */
  "hot_store",
  /** SKU missing from ref.products: curated with enrichment_status unknown_sku, not poison. */
  "unknown_sku",
  /** Placed and later cancelled on both sides: no drift. */
  "cancelled_order",
  /** In the ledger, never streamed. */
  "missing_in_stream",
  /** Streamed, not in the ledger. */
  "extra_in_stream",
  /** Streamed with a quantity that differs from the ledger's. */
  "amount_mismatch",
  /** order.placed published again under a new event_id (the dedup view cannot remove it). */
  "duplicate_in_stream",
  /** In the ledger, streamed as a poison message: missing, but the dead-letter path explains it. */
  "explained_by_dlq",
] as const;
export type InjectedKind = (typeof INJECTED_KINDS)[number];

/** The kinds of drift an order may carry (each is also a discrepancy kind the reconciliation reports). */
export const ORDER_DRIFTS = ["missing_in_stream", "extra_in_stream", "amount_mismatch", "duplicate_in_stream", "explained_by_dlq"] as const;
export type OrderDrift = (typeof ORDER_DRIFTS)[number];
