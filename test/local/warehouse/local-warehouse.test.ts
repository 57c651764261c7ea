import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { LedgerOrderRow } from "../../../contracts";
import { LocalWarehouse } from "../../../local/warehouse/local-warehouse";
import type { ZetaSqlSession } from "../../../local/zetasql";
import { freshWarehouseEachTest } from "../../support/local-warehouse-fixture";

// Each test opens its own warehouses (two processes, a reopen) on the folder.
let zs: ZetaSqlSession;
let stateDir: string;
freshWarehouseEachTest("streamline-wh-", (w) => {
  zs = w.zetasql;
  stateDir = w.stateDir;
});

const order = (id: string, over: Partial<LedgerOrderRow> = {}): LedgerOrderRow => ({
  order_id: id,
  order_date: "2024-03-01",
  placed_at: "2024-03-01T10:00:00Z",
  store_id: "s1",
  channel: "web",
  sku: "A",
  quantity: 1,
  unit_price: "10.5",
  currency: "USD",
  amount_usd: "10.5",
  status: "placed",
  exported_at: "2024-03-02T01:00:00Z",
  ...over,
});

const curated = (eventId: string, orderId: string, ingest: string) => ({
  event_id: eventId,
  event_type: "order.placed",
  occurred_at: "2024-03-01T10:00:00Z",
  store_id: "s1",
  channel: "web",
  order_id: orderId,
  event_date: "2024-03-01",
  ingest_time: ingest,
  is_late: false,
  enrichment_status: "complete",
  source: "stream",
});

describe("LocalWarehouse", () => {
  it("keeps rows on disk: a new instance over the same folder sees them", async () => {
    const first = new LocalWarehouse({ stateDir, zetasql: zs });
    await first.insertRows("ledger.orders", [order("o1"), order("o2")]);
    const second = new LocalWarehouse({ stateDir, zetasql: zs });
    const { rows } = await second.query("SELECT order_id FROM ledger.orders WHERE order_date = @d ORDER BY order_id", {
      d: { type: "DATE", value: "2024-03-01" },
    });
    expect(rows).toEqual([{ order_id: "o1" }, { order_id: "o2" }]);
  });

  it("sees what another instance (another process) appended or rewrote since it last read", async () => {
    const reader = new LocalWarehouse({ stateDir, zetasql: zs });
    const writer = new LocalWarehouse({ stateDir, zetasql: zs });
    const ids = async () =>
      (await reader.query("SELECT order_id FROM ledger.orders WHERE order_date = @d ORDER BY order_id", { d: { type: "DATE", value: "2024-03-01" } })).rows;
    expect(await ids()).toEqual([]);
    await writer.insertRows("ledger.orders", [order("o1"), order("o2")]);
    expect(await ids()).toEqual([{ order_id: "o1" }, { order_id: "o2" }]);
    await writer.query("DELETE FROM ledger.orders WHERE order_date = @d AND order_id = 'o1'", { d: { type: "DATE", value: "2024-03-01" } });
    expect(await ids()).toEqual([{ order_id: "o2" }]);
    await writer.insertRows("ledger.orders", [order("o3")]);
    expect(reader.rows("ledger.orders").map((r) => r.order_id)).toEqual(["o2", "o3"]);
  });

  it("honours insertIds within a run: a row whose insertId was written is skipped", async () => {
    const wh = new LocalWarehouse({ stateDir, zetasql: zs });
    await wh.insertRows("ledger.orders", [order("o1"), order("o2")], { insertIds: ["a", "b"] });
    const again = await wh.insertRows("ledger.orders", [order("o1"), order("o3")], { insertIds: ["a", "c"] });
    expect(again.failed).toEqual([]);
    expect(wh.rows("ledger.orders").map((r) => r.order_id)).toEqual(["o1", "o2", "o3"]);
  });

  it("names the table and the field of a row that does not fit the contract, and writes the others", async () => {
    const wh = new LocalWarehouse({ stateDir, zetasql: zs });
    const result = await wh.insertRows("ledger.orders", [
      order("ok"),
      { ...order("x"), amout: 1 },
      { ...order("y"), quantity: "two" },
      { ...order("z"), sku: undefined },
      { ...order("w"), placed_at: "yesterday" },
    ]);
    expect(result.inserted).toBe(1);
    expect(result.failed).toEqual([
      { index: 1, reason: "ledger.orders: unknown column amout (not in the contract)", retryable: false },
      { index: 2, reason: 'ledger.orders.quantity: expected a INT64, got "two"', retryable: false },
      { index: 3, reason: "ledger.orders.sku: required STRING is missing", retryable: false },
      { index: 4, reason: 'ledger.orders.placed_at: not an RFC 3339 TIMESTAMP: "yesterday"', retryable: false },
    ]);
    await expect(wh.insertRows("ledger.ordres" as "ledger.orders", [order("o")])).rejects.toThrow(/unknown table ledger.ordres/);
  });

  it("answers a parameterised query through a view (the dedup view expands over the stored rows)", async () => {
    const wh = new LocalWarehouse({ stateDir, zetasql: zs });
    await wh.insertRows("curated.commerce_events", [
      curated("e1", "o1", "2024-03-01T10:00:01Z"),
      curated("e1", "o1", "2024-03-01T10:05:00Z"), // transport duplicate
      curated("e2", "o2", "2024-03-01T10:00:02Z"),
    ]);
    const { rows } = await wh.query(
      "SELECT event_id, ingest_time FROM curated.commerce_events_dedup WHERE event_date = @run_date ORDER BY event_id",
      { run_date: { type: "DATE", value: "2024-03-01" } },
    );
    expect(rows).toEqual([
      { event_id: "e1", ingest_time: "2024-03-01T10:00:01Z" },
      { event_id: "e2", ingest_time: "2024-03-01T10:00:02Z" },
    ]);
  });

  it("appends the rows of insert-only DML instead of rewriting the file another process may be appending to", async () => {
    const wh = new LocalWarehouse({ stateDir, zetasql: zs });
    const other = new LocalWarehouse({ stateDir, zetasql: zs });
    await wh.insertRows("ledger.orders", [order("o1")]);
    await other.insertRows("ops.reconciliation_discrepancies", [{ run_id: "r0", run_date: "2024-03-01", kind: "extra_in_stream", order_id: "x" }]);
    const file = join(stateDir, "ops.reconciliation_discrepancies.jsonl");
    const inodeBefore = statSync(file).ino;
    await wh.query(
      "INSERT INTO ops.reconciliation_discrepancies (run_id, run_date, kind, order_id) SELECT 'r1', order_date, 'missing_in_stream', order_id FROM ledger.orders WHERE order_date = @d",
      { d: { type: "DATE", value: "2024-03-01" } },
    );
    expect(statSync(file).ino).toBe(inodeBefore);
    expect(other.rows("ops.reconciliation_discrepancies").map((r) => r.run_id)).toEqual(["r0", "r1"]);
  });

  it("applies DML and persists it: INSERT ... SELECT, UPDATE, DELETE", async () => {
    const wh = new LocalWarehouse({ stateDir, zetasql: zs });
    await wh.insertRows("ledger.orders", [order("o1"), order("o2", { status: "cancelled" }), order("o3", { order_date: "2024-03-02" })]);
    const del = await wh.query("DELETE FROM ledger.orders WHERE order_date = @d AND status = 'cancelled'", { d: { type: "DATE", value: "2024-03-01" } });
    expect(del.affectedRows).toBe(1);
    const upd = await wh.query("UPDATE ledger.orders SET quantity = 5 WHERE order_id = 'o1'");
    expect(upd.affectedRows).toBe(1);
    await wh.query(
      "INSERT INTO ops.reconciliation_discrepancies (run_id, run_date, kind, order_id, store_id, difference) " +
        "SELECT 'r1', order_date, 'missing_in_stream', order_id, store_id, amount_usd FROM ledger.orders WHERE order_date = @d",
      { d: { type: "DATE", value: "2024-03-01" } },
    );
    const reopened = new LocalWarehouse({ stateDir, zetasql: zs });
    expect(reopened.rows("ledger.orders").map((r) => [r.order_id, r.quantity])).toEqual([
      ["o1", 5],
      ["o3", 1],
    ]);
    expect(reopened.rows("ops.reconciliation_discrepancies")).toEqual([
      { run_id: "r1", run_date: "2024-03-01", kind: "missing_in_stream", order_id: "o1", store_id: "s1", difference: "10.5" },
    ]);
  });
});

describe("concurrent writers on one table (two instances, as two processes would be)", () => {
  it("applies every DELETE and keeps every appended row: DML and appends take the table's lock, rewrites use unique temp names", async () => {
    const a = new LocalWarehouse({ stateDir, zetasql: zs });
    const b = new LocalWarehouse({ stateDir, zetasql: zs });
    const ids = Array.from({ length: 12 }, (_, i) => `o${String(i).padStart(2, "0")}`);
    await a.insertRows("ledger.orders", ids.map((id) => order(id)));
    const d = { type: "DATE", value: "2024-03-01" } as const;
    // Each instance deletes every other order while both append new ones, all at once.
    await Promise.all([
      ...ids.map((id, i) => (i % 2 === 0 ? a : b).query("DELETE FROM ledger.orders WHERE order_date = @d AND order_id = @id", { d, id: { type: "STRING", value: id } })),
      ...["n1", "n2", "n3", "n4"].map((id, i) => (i % 2 === 0 ? b : a).insertRows("ledger.orders", [order(id)])),
    ]);
    const reopened = new LocalWarehouse({ stateDir, zetasql: zs });
    expect(reopened.rows("ledger.orders").map((r) => r.order_id).sort()).toEqual(["n1", "n2", "n3", "n4"]);
    // No temp file or lock left behind.
    expect(readdirSync(stateDir).sort()).toEqual(["ledger.orders.jsonl"]);
  });

  it("takes over the lock a dead writer left (stale after 30 s without a refresh), and writes", async () => {
    const lockDir = join(stateDir, "ledger.orders.jsonl.lock");
    mkdirSync(lockDir);
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(lockDir, minuteAgo, minuteAgo);
    const wh = new LocalWarehouse({ stateDir, zetasql: zs });
    await wh.insertRows("ledger.orders", [order("o1")]);
    await wh.query("DELETE FROM ledger.orders WHERE order_date = @d AND order_id = 'o1'", { d: { type: "DATE", value: "2024-03-01" } });
    expect(new LocalWarehouse({ stateDir, zetasql: zs }).rows("ledger.orders")).toEqual([]);
    expect(existsSync(lockDir)).toBe(false);
  });

  it("tells a file rewritten onto the same inode from one appended to (a freed inode is reused)", async () => {
    const reader = new LocalWarehouse({ stateDir, zetasql: zs });
    const file = join(stateDir, "ledger.orders.jsonl");
    writeFileSync(file, [order("o1"), order("o2")].map((r) => JSON.stringify(r) + "\n").join(""));
    expect(reader.rows("ledger.orders").map((r) => r.order_id)).toEqual(["o1", "o2"]);
    const ino = statSync(file).ino;
    // Rewritten in place: same inode, longer than what the reader had read.
    writeFileSync(file, [order("p1"), order("p2"), order("p3")].map((r) => JSON.stringify(r) + "\n").join(""));
    expect(statSync(file).ino).toBe(ino);
    expect(reader.rows("ledger.orders").map((r) => r.order_id)).toEqual(["p1", "p2", "p3"]);
  });
});
