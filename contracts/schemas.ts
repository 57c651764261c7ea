import { commerceEventFields, conditionallyRequired, eventTypeRules } from "./commerce-event";
import { toAvroSchema } from "./derive/avro-schema";
import { toJsonSchema } from "./derive/json-schema";
import type { RowOf } from "./derive/typescript-types";
import type { TableContract } from "./table";
import * as tables from "./tables";

/** The commerce event as a TypeScript type, derived from the contract. */
export type CommerceEvent = RowOf<typeof commerceEventFields>;

/** Row types of the tables the code writes or reads. */
export type RowOfTable<T extends Pick<TableContract, "fields">> = RowOf<T["fields"]>;
export type CuratedRow = RowOfTable<typeof tables.curatedCommerceEvents>;
export type LedgerOrderRow = RowOfTable<typeof tables.ledgerOrders>;
export type LedgerLoadMarkerRow = RowOfTable<typeof tables.ledgerLoadMarkers>;
export type DeadLetterRow = RowOfTable<typeof tables.opsDeadLetters>;
export type ReconciliationRunRow = RowOfTable<typeof tables.opsReconciliationRuns>;
export type ReconciliationDiscrepancyRow = RowOfTable<typeof tables.opsReconciliationDiscrepancies>;
export type ProductRow = RowOfTable<typeof tables.refProducts>;
export type StoreRow = RowOfTable<typeof tables.refStores>;
export type FxRateRow = RowOfTable<typeof tables.refFxRates>;

/** Pub/Sub topic schema of `commerce-events` (Avro, JSON encoding). */
export const commerceEventAvroSchema = toAvroSchema(
  "CommerceEvent",
  "A commerce event (cart, order, inventory, price) from a point-of-sale, web or app client.",
  commerceEventFields,
);

/** JSON Schema the enrichment function compiles once and validates every message against. */
export const commerceEventJsonSchema = toJsonSchema("CommerceEvent", commerceEventFields, {
  field: "event_type",
  requires: conditionallyRequired as Record<string, readonly string[]>,
  rules: eventTypeRules,
});
