import { opsDeadLetters, rawCommerceEvents, type TableContract } from "../../../contracts";
import { rowProblem } from "../../../local/warehouse/local-warehouse";
import { metadataRow, ROW_BUILDERS } from "../../../local/bridges/subscription-rows";
import { DEAD_LETTERS_SUBSCRIPTION, maxAttemptsForward, poisonDeadLetter } from "../../support/dead-letter-messages";

// The warehouse's row check, as the bridge's insert will apply it.
const fits = (table: "ops.dead_letters" | "raw.commerce_events", row: Record<string, unknown>) =>
  rowProblem(table, (table === "ops.dead_letters" ? opsDeadLetters : rawCommerceEvents) as unknown as TableContract, row);

const publishTime = new Date("2026-03-10T12:00:01.250Z");

test("both kinds of dead letter are stored as the BigQuery subscription stores them: metadata columns only", () => {
  const poison = poisonDeadLetter({
    id: "dlq-1",
    publishTime: "2026-03-10T12:00:01.250Z",
    payload: '{"event_id":"e1","currency":{"string":"eur"}}',
    verdict: { kind: "poison", reason: "schema_violation", detail: "/currency must match pattern", stage: "validate" },
  });
  const forward = maxAttemptsForward({ id: "dlq-2", publishTime: "2026-03-10T12:00:01.250Z", payload: Buffer.from([0xff, 0xfe, 0x00]), attempts: 5 });
  for (const m of [poison, forward]) {
    const row = ROW_BUILDERS["ops.dead_letters"](m, DEAD_LETTERS_SUBSCRIPTION);
    expect(row).toEqual({
      subscription_name: DEAD_LETTERS_SUBSCRIPTION,
      message_id: m.id,
      publish_time: "2026-03-10T12:00:01.250Z",
      data: m.data.toString("base64"),
      attributes: JSON.stringify(m.attributes),
    });
    expect(fits("ops.dead_letters", row)).toBeUndefined();
  }
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
