import { opsDeadLetters, rawCommerceEvents, type TableContract } from "../../../contracts";
import { deadLetterAttributes } from "../../../functions/enrichment/dead-letter-attributes";
import { rowProblem } from "../../../local/warehouse/local-warehouse";
import { deadLetterRow, metadataRow, type BridgedMessage } from "../../../local/bridges/subscription-rows";

// The warehouse's row check, as the bridge's insert will apply it.
const fits = (table: "ops.dead_letters" | "raw.commerce_events", row: Record<string, unknown>) =>
  rowProblem(table, (table === "ops.dead_letters" ? opsDeadLetters : rawCommerceEvents) as unknown as TableContract, row);

const publishTime = new Date("2026-03-10T12:00:01.250Z");
const SUBSCRIPTION = "projects/streamline-dev/subscriptions/dead-letters";

test("a poison verdict's attributes fill the explained columns", () => {
  const payload = '{"event_id":"e1","currency":{"string":"eur"}}';
  const attributes = deadLetterAttributes(
    { event_type: "order.placed" },
    { kind: "poison", reason: "schema_violation", detail: "/currency must match pattern", stage: "validate" },
    { messageId: "m-1", subscription: "projects/streamline-dev/subscriptions/enrichment" },
    "0.1.0",
    Date.parse("2026-03-10T12:00:01Z"),
  );
  const row = deadLetterRow({ id: "dlq-1", publishTime, data: Buffer.from(payload), attributes }, SUBSCRIPTION);
  expect(row).toEqual({
    subscription_name: SUBSCRIPTION,
    message_id: "dlq-1",
    publish_time: "2026-03-10T12:00:01.250Z",
    data: Buffer.from(payload).toString("base64"),
    attributes: JSON.stringify(attributes),
    subscription: "projects/streamline-dev/subscriptions/enrichment",
    delivery_attempt: null,
    payload_string: payload,
    reason: "schema_violation",
    error_class: "poison",
    stage: "validate",
    error_message: "/currency must match pattern",
    pipeline_version: "0.1.0",
    dead_lettered_at: "2026-03-10T12:00:01.000Z",
  });
  expect(fits("ops.dead_letters", row)).toBeUndefined();
});

test("a Pub/Sub forward after max attempts is explained from its delivery-count attributes", () => {
  const message: BridgedMessage = {
    id: "dlq-2",
    publishTime,
    data: Buffer.from([0xff, 0xfe, 0x00]),
    attributes: { CloudPubSubDeadLetterSourceDeliveryCount: "5", CloudPubSubDeadLetterSourceSubscription: "enrichment" },
  };
  const row = deadLetterRow(message, SUBSCRIPTION);
  expect(row).toMatchObject({
    subscription: "enrichment",
    delivery_attempt: 5,
    payload_string: null, // not valid UTF-8: kept only as bytes
    reason: "max_delivery_attempts",
    error_class: "transient",
    stage: "delivery",
    dead_lettered_at: "2026-03-10T12:00:01.250Z",
  });
  expect(fits("ops.dead_letters", row)).toBeUndefined();
});

test("the raw mirror row holds what a BigQuery subscription with write_metadata writes", () => {
  const row = metadataRow({ id: "m-9", publishTime, data: Buffer.from("{}"), attributes: { source: "pos" } }, "projects/p/subscriptions/raw-mirror");
  expect(row).toEqual({
    subscription_name: "projects/p/subscriptions/raw-mirror",
    message_id: "m-9",
    publish_time: "2026-03-10T12:00:01.250Z",
    data: "e30=",
    attributes: '{"source":"pos"}',
  });
  expect(fits("raw.commerce_events", row)).toBeUndefined();
});
