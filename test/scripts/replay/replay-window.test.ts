import type { LocalWarehouse } from "../../../local/warehouse/local-warehouse";
import type { MessagePublisher } from "../../../scripts/replay/message-publisher";
import { Pacer } from "../../../scripts/replay/pacer";
import { replayMessage, type OutgoingMessage } from "../../../scripts/replay/replay-message";
import { loadReplaySql } from "../../../scripts/replay/replay-sql";
import { replayWindow } from "../../../scripts/replay/replay-window";
import { oneWarehousePerFile } from "../../support/local-warehouse-fixture";

let warehouse: LocalWarehouse;
oneWarehousePerFile("streamline-replay-", async (w) => {
  warehouse = w.warehouse;
  // Seven messages, three sharing one publish time (keyset paging must not skip or repeat them), one outside the window.
  const at = ["2026-12-01T09:59:59Z", "2026-12-01T10:00:00Z", "2026-12-01T10:15:00Z", "2026-12-01T10:15:00Z", "2026-12-01T10:15:00Z", "2026-12-01T11:30:00Z", "2026-12-01T12:00:00Z"];
  await warehouse.insertRows(
    "raw.commerce_events",
    at.map((t, i) => ({
      subscription_name: "projects/p/subscriptions/raw-mirror",
      message_id: `m${i}`,
      publish_time: t,
      data: Buffer.from(`{"event_id":"e${i}"}`).toString("base64"),
      attributes: JSON.stringify({ source: "pos" }),
    })),
  );
});

class CollectingPublisher implements MessagePublisher {
  readonly sent: OutgoingMessage[] = [];
  failFor = new Set<string>();
  async publish(m: OutgoingMessage): Promise<string> {
    if (this.failFor.has(m.attributes.replay_of)) throw new Error("UNAVAILABLE");
    this.sent.push(m);
    return String(this.sent.length);
  }
}

const window = { from: "2026-12-01T10:00:00Z", to: "2026-12-01T12:00:00Z", runId: "run-1", rate: 10_000 };

test("replays every message of [from, to) once, in publish order, across pages, with replay_of and replay_run", async () => {
  const publisher = new CollectingPublisher();
  const s = await replayWindow({ warehouse, sql: loadReplaySql(), publisher }, { ...window, pageSize: 2 });
  expect(publisher.sent.map((m) => m.attributes.replay_of)).toEqual(["m1", "m2", "m3", "m4", "m5"]);
  expect(publisher.sent[0]).toEqual({ data: Buffer.from('{"event_id":"e1"}'), attributes: { source: "pos", replay_of: "m1", replay_run: "run-1" } });
  expect(s).toMatchObject({ messages: 5, published: 5, failed: [] });
  expect(s.hours).toEqual([
    { hour: "2026-12-01T10:00:00.000Z", messages: 4 },
    { hour: "2026-12-01T11:00:00.000Z", messages: 1 },
  ]);
});

test("a dry run counts per hour and publishes nothing", async () => {
  const publisher = new CollectingPublisher();
  const s = await replayWindow({ warehouse, sql: loadReplaySql(), publisher }, { ...window, dryRun: true });
  expect(publisher.sent).toEqual([]);
  expect(s).toMatchObject({ dryRun: true, messages: 5, published: 0 });
});

test("a message Pub/Sub refuses is reported by id, the others are still published", async () => {
  const publisher = new CollectingPublisher();
  publisher.failFor.add("m3");
  const s = await replayWindow({ warehouse, sql: loadReplaySql(), publisher }, window);
  expect(s.published).toBe(4);
  expect(s.failed).toEqual([{ messageId: "m3", error: "UNAVAILABLE" }]);
});

test("an empty or inverted window is refused with the reason", async () => {
  await expect(replayWindow({ warehouse, sql: loadReplaySql(), publisher: new CollectingPublisher() }, { ...window, from: window.to, to: window.from })).rejects.toThrow(
    "must be before --to",
  );
});

test("a replay of a replayed message points at the first original", () => {
  const m = replayMessage({ message_id: "r9", data: Buffer.from("x"), attributes: JSON.stringify({ replay_of: "m1", replay_run: "run-0" }) }, "run-2");
  expect(m.attributes).toEqual({ replay_of: "m1", replay_run: "run-2" });
  expect(() => replayMessage({ message_id: "bad", data: null, attributes: "{" }, "run-2")).toThrow("message bad: attributes are not JSON");
});

test("the pacer holds the average rate and does not burst to catch up", async () => {
  // 1000/s: sends 1 ms apart run back to back until a timer's worth (10 ms) ahead, then wait.
  let t = 0;
  const fast: number[] = [];
  const p1000 = new Pacer(1000, { now: () => t, sleep: async (ms) => void (fast.push(ms), (t += ms)) });
  for (let i = 0; i < 10; i++) await p1000.next();
  expect(fast).toEqual([]);
  await p1000.next();
  expect(fast).toEqual([10]);
  let now = 0;
  const waits: number[] = [];
  const pacer = new Pacer(50, { now: () => now, sleep: async (ms) => void (waits.push(ms), (now += ms)) });
  for (let i = 0; i < 5; i++) await pacer.next();
  expect(waits).toEqual([20, 20, 20, 20]);
  now += 5000; // a stalled publisher
  await pacer.next();
  await pacer.next();
  expect(waits.slice(4)).toEqual([20]);
});
