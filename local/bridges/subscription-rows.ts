import type { Row } from "../../functions/runtime/warehouse";

/** A Pub/Sub message as a BigQuery subscription sees it. */
export interface BridgedMessage {
  id: string;
  publishTime: Date;
  data: Buffer;
  attributes: Record<string, string>;
}

/** The metadata columns a BigQuery subscription writes with `write_metadata = true`. */
export function metadataRow(m: BridgedMessage, subscriptionName: string): Row {
  return {
    subscription_name: subscriptionName,
    message_id: m.id,
    publish_time: m.publishTime.toISOString(),
    data: m.data.toString("base64"),
    attributes: JSON.stringify(m.attributes),
  };
}

/** The row builder for a table a BigQuery subscription writes, by `dataset.table`. */
export const ROW_BUILDERS: Readonly<Record<string, (m: BridgedMessage, subscriptionName: string) => Row>> = {
  "raw.commerce_events": metadataRow,
  // Only the metadata columns, as in BigQuery: sql/views/dead_letters_explained.sql derives reason,
  // stage, ... from the attributes, for local runs and BigQuery alike.
  "ops.dead_letters": metadataRow,
};
