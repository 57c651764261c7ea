import { commerceEventFields } from "./commerce-event";
import { nullable, required } from "./field";
import { defineTable } from "./table";

// Columns a Pub/Sub BigQuery subscription writes when `write_metadata = true`.
const pubsubMetadataFields = {
  subscription_name: nullable.string("Subscription that wrote the row (written by the BigQuery subscription)."),
  message_id: required.string("Pub/Sub message id."),
  publish_time: required.timestamp("Pub/Sub publish time."),
  data: nullable.bytes("Message payload, bytes as published."),
  attributes: nullable.string("Message attributes as a JSON object."),
} as const;

/** Offline mirror of `commerce-events`, written by a BigQuery subscription: the replay/backfill source. */
export const rawCommerceEvents = defineTable({
  dataset: "raw",
  table: "commerce_events",
  description: "Every message published to commerce-events, as published (BigQuery subscription mirror).",
  fields: pubsubMetadataFields,
  partition: { field: "publish_time", granularity: "DAY" },
  clustering: ["message_id"],
  large: true,
});

export const ENRICHMENT_STATUSES = ["complete", "unknown_sku", "unknown_store", "unknown_fx", "incomplete"] as const;
export const ROW_SOURCES = ["stream", "ledger_repair", "replay"] as const;

/** Validated, enriched events; read through the `curated.commerce_events_dedup` view. */
export const curatedCommerceEvents = defineTable({
  dataset: "curated",
  table: "commerce_events",
  description: "Validated and enriched commerce events (at-least-once: read through commerce_events_dedup).",
  fields: {
    ...commerceEventFields,
    attributes: nullable.string("Publisher attributes as a JSON object."),
    product_category: nullable.string("From ref.products; null when the SKU is unknown."),
    product_brand: nullable.string("From ref.products; null when the SKU is unknown."),
    store_region: nullable.string("From ref.stores; null when the store is unknown."),
    store_time_zone: nullable.string("IANA time zone of the store; null when the store is unknown."),
    revenue_usd: nullable.numeric("quantity * unit_price converted to USD (order.placed only)."),
    event_date: required.date("Business date of occurred_at in the store's time zone (UTC when unknown)."),
    ingest_time: required.timestamp("When the enrichment function wrote the row."),
    is_late: required.bool("ingest_time - occurred_at exceeded the configured lateness threshold."),
    enrichment_status: required.string("complete, or which reference lookup failed.", { enum: ENRICHMENT_STATUSES }),
    source: required.string("stream; ledger_repair for rows inserted by the reconciliation repair; replay for rows written from the replay topic (npm run replay / redrive).", {
      enum: ROW_SOURCES,
    }),
    pipeline_version: nullable.string("Code version that wrote the row."),
  },
  partition: { field: "event_date", granularity: "DAY" },
  clustering: ["event_type", "store_id", "channel"],
  large: true,
});

export const ORDER_STATUSES = ["placed", "cancelled"] as const;

/** The order ledger exported nightly from the transactional system: the batch source of truth. */
export const ledgerOrders = defineTable({
  dataset: "ledger",
  table: "orders",
  description: "Orders exported from the transactional system, one row per order (source of truth).",
  fields: {
    order_id: required.string("Order id, as in order.* events."),
    order_date: required.date("Business date of the order in the store's time zone."),
    placed_at: required.timestamp("When the order was placed."),
    store_id: required.string("Store the order belongs to."),
    channel: required.string("Sales channel.", { enum: ["web", "app", "store"] }),
    user_id: nullable.string("Customer id."),
    sku: required.string("Product SKU."),
    quantity: required.int64("Units ordered."),
    unit_price: required.numeric("Price per unit in currency."),
    currency: required.string("ISO 4217 currency code.", { pattern: "^[A-Z]{3}$" }),
    amount_usd: required.numeric("quantity * unit_price in USD, as booked."),
    status: required.string("Order status at export time.", { enum: ORDER_STATUSES }),
    exported_at: required.timestamp("When the export job wrote the row."),
  },
  partition: { field: "order_date", granularity: "DAY" },
  clustering: ["store_id", "channel"],
  large: true,
});

/**
 * The ledger export's completeness signal: one row per export of an order_date, written by the
 * exporting job as its last step (after every ledger.orders row of that date). The reconciliation
 * compares only when the ledger holds exactly the rows the newest marker announces.
 */
export const ledgerLoadMarkers = defineTable({
  dataset: "ledger",
  table: "load_markers",
  description: "One row per finished ledger.orders export of an order_date, written last by the export (completeness signal).",
  fields: {
    order_date: required.date("Business date the export covers (ledger.orders.order_date)."),
    expected_rows: required.int64("Rows of that order_date the export wrote to ledger.orders (every status)."),
    loaded_at: required.timestamp("When the export finished; the newest marker of a date counts."),
    export_id: nullable.string("Id of the export job run, for tracing."),
  },
  partition: { field: "order_date", granularity: "DAY" },
  clustering: ["export_id"],
  large: false,
});

export const DEAD_LETTER_STAGES = ["decode", "validate", "enrich", "write", "delivery"] as const;

/**
 * Both kinds of dead letter in one table: our own poison verdicts (attributes carry `reason`,
 * `error_detail`, ...) and Pub/Sub's forwards after max delivery attempts (attributes carry
 * `CloudPubSubDeadLetterSource*`). The DLQ topic's BigQuery subscription (and the local bridge,
 * alike) writes only the metadata columns; `sql/views/dead_letters_explained.sql` derives the
 * explained columns from the attributes, and every reader reads that view.
 */
export const opsDeadLetters = defineTable({
  dataset: "ops",
  table: "dead_letters",
  description: "Dead letters from every subscription: poison verdicts and max-attempt forwards.",
  fields: {
    ...pubsubMetadataFields,
    subscription: nullable.string("Source subscription the message was dead-lettered from."),
    delivery_attempt: nullable.int64("Delivery attempts before dead-lettering (Pub/Sub forwards)."),
    payload_string: nullable.string("Payload decoded as UTF-8, when it is valid UTF-8."),
    reason: nullable.string("Why: e.g. malformed_json, schema_violation, max_delivery_attempts."),
    error_class: nullable.string("poison or transient."),
    stage: nullable.string("Pipeline stage that rejected it.", { enum: DEAD_LETTER_STAGES }),
    error_message: nullable.string("Human-readable detail (validator message, last error)."),
    pipeline_version: nullable.string("Code version that dead-lettered it."),
    dead_lettered_at: nullable.timestamp("When it was dead-lettered."),
  },
  partition: { field: "publish_time", granularity: "DAY" },
  clustering: ["subscription_name", "reason"],
  large: false,
});

export const RUN_STATUSES = ["pass", "warn", "fail", "error", "late_source"] as const;

/** One row per reconciliation run of one run_date; a re-run supersedes that date's rows. */
export const opsReconciliationRuns = defineTable({
  dataset: "ops",
  table: "reconciliation_runs",
  description: "Summary of each nightly reconciliation run (stream vs ledger for one day).",
  fields: {
    run_id: required.string("Unique id of this run."),
    run_date: required.date("The business day reconciled."),
    environment: required.string("dev, staging or prod."),
    code_version: required.string("Version of the code that ran."),
    config_hash: required.string("Hash of the effective reconciliation config."),
    status: required.string("pass, warn, fail, error or late_source.", { enum: RUN_STATUSES }),
    started_at: required.timestamp("Run start."),
    finished_at: required.timestamp("Run end."),
    duration_ms: required.int64("Wall time of the run."),
    bytes_processed: nullable.int64("Bytes the queries processed (BigQuery only)."),
    stream_orders: nullable.int64("Net orders streamed (placed minus cancelled)."),
    ledger_orders: nullable.int64("Orders in the ledger (placed, not cancelled)."),
    stream_revenue_usd: nullable.numeric("Net streamed revenue in USD."),
    ledger_revenue_usd: nullable.numeric("Ledger revenue in USD."),
    missing_in_stream: nullable.int64("Ledger orders not streamed."),
    extra_in_stream: nullable.int64("Streamed orders not in the ledger."),
    duplicate_in_stream: nullable.int64("Orders streamed more than once (before dedupe)."),
    amount_mismatch: nullable.int64("Orders whose amounts differ."),
    late_arrival: nullable.int64("Orders streamed after the day closed, within the allowance."),
    explained_by_dlq: nullable.int64("Missing orders whose event is in ops.dead_letters."),
    count_drift_ratio: nullable.float64("|stream - ledger| / ledger order count."),
    count_drift_threshold: nullable.float64("Threshold the count drift is held to."),
    revenue_drift_ratio: nullable.float64("|stream - ledger| / ledger revenue."),
    revenue_drift_threshold: nullable.float64("Threshold the revenue drift is held to."),
    count_drift_trend: nullable.float64("count_drift_ratio minus its mean over the previous 7 runs."),
    revenue_drift_trend: nullable.float64("revenue_drift_ratio minus its mean over the previous 7 runs."),
    error_message: nullable.string("Why the run errored or was late."),
    lost_in_enrichment: nullable.int64("Stream parity canary: raw-mirror events of the day neither curated nor dead-lettered."),
    parity_sampled: nullable.int64("Recompute parity canary: curated events of the day's deterministic sample re-enriched from the raw mirror."),
    parity_mismatch: nullable.int64("Recompute parity canary: columns of sampled curated rows that differ from their recompute."),
  },
  partition: { field: "run_date", granularity: "DAY" },
  clustering: ["environment", "status"],
  large: false,
});

export const DISCREPANCY_KINDS = [
  "missing_in_stream",
  "extra_in_stream",
  "duplicate_in_stream",
  "amount_mismatch",
  "late_arrival",
  "explained_by_dlq",
] as const;

/** Kinds the parity canaries (functions/reconciliation/parity-canaries.ts) record beside the order kinds. */
export const PARITY_KINDS = ["lost_in_enrichment", "parity_mismatch"] as const;

/** Top-K example rows per discrepancy kind for one run, both sides' values side by side. */
export const opsReconciliationDiscrepancies = defineTable({
  dataset: "ops",
  table: "reconciliation_discrepancies",
  description: "Example discrepancies found by a reconciliation run, both sides' values.",
  fields: {
    run_id: required.string("Run that found it."),
    run_date: required.date("The business day reconciled."),
    kind: required.string("Discrepancy kind.", { enum: [...DISCREPANCY_KINDS, ...PARITY_KINDS] }),
    order_id: nullable.string("Order key; null for a parity finding on an event that is not an order."),
    store_id: nullable.string("Store of the order (either side)."),
    channel: nullable.string("Channel of the order (either side)."),
    field: nullable.string("Compared field, for amount_mismatch; the curated column, for parity_mismatch."),
    stream_value: nullable.string("Value on the stream side (the curated row, for parity_mismatch)."),
    ledger_value: nullable.string("Value on the ledger side (the recompute from the raw mirror, for parity_mismatch)."),
    difference: nullable.numeric("stream_value - ledger_value, for numeric fields."),
    detail: nullable.string("Extra context (e.g. the dead-letter reason)."),
  },
  partition: { field: "run_date", granularity: "DAY" },
  clustering: ["kind", "store_id"],
  large: false,
});

/** One row per dead letter `npm run redrive` re-published: who, when, with which filter, under which run. */
export const opsRedrives = defineTable({
  dataset: "ops",
  table: "redrives",
  description: "Dead letters re-published to the replay topic by npm run redrive (one row per letter).",
  fields: {
    redrive_id: required.string("Id of the redrive run (also the replay_run attribute of what it published)."),
    redriven_at: required.timestamp("When the run published the letter."),
    operator: required.string("Who ran it (user or service account)."),
    reason_filter: nullable.string("--reason the run was given; null for every reason."),
    window_from: required.timestamp("--from: dead letters published at or after."),
    window_to: required.timestamp("--to: dead letters published before."),
    forced: required.bool("--force: letters already redriven were included."),
    dead_letter_message_id: required.string("message_id of the ops.dead_letters row redriven."),
    replay_message_id: nullable.string("Message id the replay topic gave the re-published message."),
  },
  partition: { field: "redriven_at", granularity: "DAY" },
  clustering: ["redrive_id"],
  large: false,
});

export const refProducts = defineTable({
  dataset: "ref",
  table: "products",
  description: "Product catalogue used for enrichment.",
  fields: {
    sku: required.string("Product SKU."),
    category: required.string("Merchandising category."),
    brand: required.string("Brand."),
    updated_at: required.timestamp("Last change."),
  },
  partition: null,
  clustering: ["sku"],
  large: false,
});

export const refStores = defineTable({
  dataset: "ref",
  table: "stores",
  description: "Stores and storefronts used for enrichment.",
  fields: {
    store_id: required.string("Store id."),
    region: required.string("Sales region."),
    time_zone: required.string("IANA time zone, e.g. America/Los_Angeles."),
    country: required.string("ISO 3166-1 alpha-2 country code."),
    updated_at: required.timestamp("Last change."),
  },
  partition: null,
  clustering: ["store_id"],
  large: false,
});

export const refFxRates = defineTable({
  dataset: "ref",
  table: "fx_rates",
  description: "Daily FX rates to USD.",
  fields: {
    currency: required.string("ISO 4217 currency code.", { pattern: "^[A-Z]{3}$" }),
    rate_date: required.date("Day the rate applies to."),
    usd_per_unit: required.numeric("USD for one unit of currency."),
  },
  partition: null,
  clustering: ["currency", "rate_date"],
  large: false,
});

/** Every table, in dataset order. Stacks, the local warehouse and the SQL catalog loop over this. */
export const TABLES = [
  rawCommerceEvents,
  curatedCommerceEvents,
  ledgerOrders,
  ledgerLoadMarkers,
  opsDeadLetters,
  opsReconciliationRuns,
  opsReconciliationDiscrepancies,
  opsRedrives,
  refProducts,
  refStores,
  refFxRates,
] as const;

export const DATASETS = ["raw", "curated", "ledger", "ops", "ref"] as const;
