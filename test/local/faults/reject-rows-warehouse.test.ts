import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { InsertOptions, InsertResult, Row, Warehouse } from "../../../functions/runtime/warehouse";
import { AckWithoutWriteWarehouse } from "../../../local/faults/ack-without-write-warehouse";
import { REJECTED_ROW_REASON, REJECT_ROWS_ENV, RejectRowsWarehouse, rejectRowsFrom } from "../../../local/faults/reject-rows-warehouse";

/** The sink behind the switch: keeps what it is given, refuses rows whose event_id starts with "bad" (as a table would). */
class KeepingSink implements Warehouse {
  readonly kept: string[] = [];
  async insertRows(_table: string, rows: Row[], opts: InsertOptions = {}): Promise<InsertResult> {
    const failed = rows.flatMap((r, index) => (String(r.event_id).startsWith("bad") ? [{ index, reason: "bad row", retryable: false }] : []));
    rows.forEach((r, i) => !String(r.event_id).startsWith("bad") && this.kept.push(opts.insertIds?.[i] ?? String(r.event_id)));
    return { inserted: rows.length - failed.length, failed };
  }
  async query(): Promise<never> {
    throw new Error("not used");
  }
}

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "reject-rows-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const rows = (...ids: string[]) => ids.map((event_id) => ({ event_id }));

test("refuses the first N curated rows (not retryable), records their ids, writes and reports the rest at their batch index", async () => {
  const sink = new KeepingSink();
  const file = join(dir, "rejected.txt");
  const w = new RejectRowsWarehouse(sink, { table: "curated.commerce_events", count: 3, recordFile: file });
  const first = await w.insertRows("curated.commerce_events", rows("e1", "e2"), { insertIds: ["e1", "e2"] });
  const second = await w.insertRows("curated.commerce_events", rows("e3", "e4", "bad5"), { insertIds: ["e3", "e4", "bad5"] });
  expect(first).toEqual({ inserted: 0, failed: [0, 1].map((index) => ({ index, reason: REJECTED_ROW_REASON, retryable: false })) });
  expect(second).toEqual({ inserted: 1, failed: [{ index: 0, reason: REJECTED_ROW_REASON, retryable: false }, { index: 2, reason: "bad row", retryable: false }] });
  expect(sink.kept).toEqual(["e4"]);
  expect(readFileSync(file, "utf8")).toBe("e1\ne2\ne3\n");
});

test("behind the ack-without-write switch, the two faults take disjoint rows", async () => {
  const sink = new KeepingSink();
  const w = new AckWithoutWriteWarehouse(new RejectRowsWarehouse(sink, { table: "curated.commerce_events", count: 1, recordFile: join(dir, "r.txt") }), {
    table: "curated.commerce_events",
    count: 1,
    recordFile: join(dir, "d.txt"),
  });
  const r = await w.insertRows("curated.commerce_events", rows("lost", "refused", "kept"), { insertIds: ["lost", "refused", "kept"] });
  expect(r.failed.map((f) => [f.index, f.retryable])).toEqual([[1, false]]);
  expect(sink.kept).toEqual(["kept"]);
});

test("other tables pass through; a bad switch value is a clear error", async () => {
  const sink = new KeepingSink();
  expect(rejectRowsFrom({}, sink)).toBe(sink);
  expect(() => rejectRowsFrom({ [REJECT_ROWS_ENV.count]: "two" }, sink)).toThrow(`${REJECT_ROWS_ENV.count} must be an integer >= 0`);
  expect(() => rejectRowsFrom({ [REJECT_ROWS_ENV.count]: "2" }, sink)).toThrow(`${REJECT_ROWS_ENV.recordFile} is required`);
  const w = rejectRowsFrom({ [REJECT_ROWS_ENV.count]: "2", [REJECT_ROWS_ENV.recordFile]: join(dir, "r.txt") }, sink);
  expect(await w.insertRows("ops.dead_letters", rows("x"))).toEqual({ inserted: 1, failed: [] });
});
