import { startZetaSql, type ZetaSqlSession } from "../../local/zetasql";
import { DEAD_LETTERS_SUBSCRIPTION, deadLetterTableRow, maxAttemptsForward, poisonDeadLetter } from "../support/dead-letter-messages";

// sql/views/dead_letters_explained.sql is the one definition of a dead letter's reason, stage, ...:
// evaluated here by ZetaSQL over rows shaped exactly as the DLQ's BigQuery subscription stores them.
let zs: ZetaSqlSession;
beforeAll(async () => {
  zs = await startZetaSql();
});
afterAll(async () => {
  await zs?.close();
});

const explained = async (rows: Record<string, unknown>[]) =>
  (await zs.evaluateQuery("SELECT * FROM ops.dead_letters_explained ORDER BY message_id", { "ops.dead_letters": rows })).rows;

const payload = '{"event_id":"e1","currency":{"string":"eur"}}';

test("a poison verdict published by the function is explained from its own attributes", async () => {
  const m = poisonDeadLetter({
    id: "dlq-1",
    publishTime: "2026-03-10T12:00:01.250Z",
    payload,
    verdict: { kind: "poison", reason: "schema_violation", detail: "/currency must match pattern", stage: "validate" },
    publisherAttributes: { source: "pos" },
  });
  expect(await explained([deadLetterTableRow(m)])).toEqual([
    {
      subscription_name: DEAD_LETTERS_SUBSCRIPTION,
      message_id: "dlq-1",
      publish_time: "2026-03-10T12:00:01.25Z",
      data: Buffer.from(payload).toString("base64"),
      attributes: JSON.stringify(m.attributes),
      subscription: "projects/streamline-dev/subscriptions/enrichment",
      delivery_attempt: null,
      payload_string: payload,
      reason: "schema_violation",
      error_class: "poison",
      stage: "validate",
      error_message: "/currency must match pattern",
      pipeline_version: "test",
      dead_lettered_at: "2026-03-10T12:00:01Z",
    },
  ]);
});

test("a Pub/Sub max-attempts forward, which carries only CloudPubSubDeadLetterSource*, is explained as such", async () => {
  const m = maxAttemptsForward({ id: "dlq-2", publishTime: "2026-03-10T12:00:01.250Z", payload: Buffer.from([0xff, 0xfe, 0x00]), attempts: 5, publisherAttributes: { source: "web" } });
  expect(await explained([deadLetterTableRow(m)])).toEqual([
    expect.objectContaining({
      subscription: "projects/streamline-dev/subscriptions/enrichment",
      delivery_attempt: 5,
      // BigQuery's SAFE_CONVERT_BYTES_TO_STRING replaces invalid UTF-8 with U+FFFD; the bytes stay in data.
      payload_string: "\uFFFD\uFFFD\u0000",
      reason: "max_delivery_attempts",
      error_class: "transient",
      stage: "delivery",
      error_message: null,
      pipeline_version: null,
      dead_lettered_at: "2026-03-10T12:00:01.25Z", // its publish time to the DLQ
    }),
  ]);
});

test("a column already filled in the table wins over the derivation", async () => {
  const m = maxAttemptsForward({ id: "dlq-3", publishTime: "2026-03-10T12:00:01Z", payload, attempts: 5 });
  const [row] = await explained([{ ...deadLetterTableRow(m), reason: "rejected_by_warehouse", stage: "write" }]);
  expect(row).toMatchObject({ reason: "rejected_by_warehouse", stage: "write", error_class: "transient", delivery_attempt: 5 });
});
