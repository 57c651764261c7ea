import type { LocalWarehouse } from "../../../local/warehouse/local-warehouse";
import type { MessagePublisher } from "../../../scripts/replay/message-publisher";
import { redriveDeadLetters, type RedriveOptions } from "../../../scripts/replay/redrive";
import type { OutgoingMessage } from "../../../scripts/replay/replay-message";
import { loadReplaySql } from "../../../scripts/replay/replay-sql";
import { deadLetterTableRow, maxAttemptsForward, poisonDeadLetter } from "../../support/dead-letter-messages";
import { freshWarehouseEachTest } from "../../support/local-warehouse-fixture";

let warehouse: LocalWarehouse;
freshWarehouseEachTest("streamline-redrive-", async (w) => {
  warehouse = w.warehouse;
  // Both kinds of dead letter, in the shapes the DLQ's BigQuery subscription stores.
  const letters = [
    poisonDeadLetter({ id: "d1", publishTime: "2026-12-01T10:00:00Z", payload: '{"event_id":"e1"}', verdict: { kind: "poison", reason: "schema_violation", detail: "x", stage: "validate" }, publisherAttributes: { source: "pos" } }),
    poisonDeadLetter({ id: "d2", publishTime: "2026-12-01T10:05:00Z", payload: '{"event_id":"e2"}', verdict: { kind: "poison", reason: "schema_violation", detail: "x", stage: "validate" } }),
    maxAttemptsForward({ id: "d3", publishTime: "2026-12-01T10:10:00Z", payload: '{"event_id":"e3"}', attempts: 5, publisherAttributes: { source: "web" } }),
    maxAttemptsForward({ id: "d4", publishTime: "2026-12-01T13:00:00Z", payload: '{"event_id":"e4"}', attempts: 5 }), // outside the window
  ];
  expect((await warehouse.insertRows("ops.dead_letters", letters.map(deadLetterTableRow))).failed).toEqual([]);
});

class CollectingPublisher implements MessagePublisher {
  readonly sent: OutgoingMessage[] = [];
  async publish(m: OutgoingMessage): Promise<string> {
    this.sent.push(m);
    return `r${this.sent.length}`;
  }
}

const run = (publisher: MessagePublisher, o: Partial<RedriveOptions> = {}) =>
  redriveDeadLetters(
    { warehouse, sql: loadReplaySql(), publisher },
    { from: "2026-12-01T09:00:00Z", to: "2026-12-01T12:00:00Z", runId: "rd-1", operator: "ops@example.com", rate: 10_000, now: () => new Date("2026-12-01T12:30:00Z"), ...o },
  );

test("re-publishes the letters of a reason with the publisher's attributes only, and records each in ops.redrives", async () => {
  const p = new CollectingPublisher();
  const s = await run(p, { reason: "schema_violation" });
  expect(s).toMatchObject({ letters: 2, published: 2, recorded: 2, byReason: { schema_violation: 2 } });
  expect(p.sent[0]).toEqual({ data: Buffer.from('{"event_id":"e1"}'), attributes: { source: "pos", replay_of: "src-d1", replay_run: "rd-1" } });
  const rows = (await warehouse.query("SELECT redrive_id, operator, reason_filter, forced, dead_letter_message_id, replay_message_id FROM ops.redrives WHERE redriven_at >= TIMESTAMP '2026-12-01' ORDER BY dead_letter_message_id")).rows;
  expect(rows).toEqual([
    { redrive_id: "rd-1", operator: "ops@example.com", reason_filter: "schema_violation", forced: false, dead_letter_message_id: "d1", replay_message_id: "r1" },
    { redrive_id: "rd-1", operator: "ops@example.com", reason_filter: "schema_violation", forced: false, dead_letter_message_id: "d2", replay_message_id: "r2" },
  ]);
});

test("a Pub/Sub max-attempts forward is redriven without its CloudPubSubDeadLetterSource* attributes", async () => {
  const p = new CollectingPublisher();
  await run(p, { reason: "max_delivery_attempts" });
  expect(p.sent.map((m) => m.attributes)).toEqual([{ source: "web", replay_of: "d3", replay_run: "rd-1" }]);
});

test("letters already redriven are left out the second time, and repeated with force", async () => {
  await run(new CollectingPublisher());
  const again = new CollectingPublisher();
  expect(await run(again, { runId: "rd-2" })).toMatchObject({ letters: 0, published: 0, recorded: 0 });
  const forced = new CollectingPublisher();
  expect(await run(forced, { runId: "rd-3", force: true })).toMatchObject({ letters: 3, published: 3, recorded: 3 });
});

test("a dry run counts per reason and neither publishes nor records", async () => {
  const p = new CollectingPublisher();
  expect(await run(p, { dryRun: true })).toMatchObject({ letters: 3, byReason: { schema_violation: 2, max_delivery_attempts: 1 }, published: 0, recorded: 0 });
  expect(p.sent).toEqual([]);
  expect((await run(new CollectingPublisher())).letters).toBe(3);
});
