import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TableId } from "../../contracts/table";
import { curatedCommerceEvents } from "../../contracts/tables";
import { startZetaSql, type ZetaSqlSession } from "../../local/zetasql";
import { readSqlStatement } from "../../functions/runtime/sql-files";
import type { QueryParam, Row } from "../../functions/runtime/warehouse";
import { LocalWarehouse } from "../../local/warehouse/local-warehouse";
import { fixtureTables, LATE_ALLOWANCE_HOURS, RUN_DATE } from "./fixtures/reconciliation-day";

const SQL = join(__dirname, "..", "..", "sql");
const repairSql = readFileSync(join(SQL, "repair", "merge_missing_orders.sql"), "utf8");
const discrepanciesSql = readSqlStatement(SQL, "reconciliation/discrepancies.sql");

let zs: ZetaSqlSession;
beforeAll(async () => {
  zs = await startZetaSql();
});
afterAll(async () => {
  await zs?.close();
});

const repairParams: Record<string, QueryParam> = {
  run_date: { type: "DATE", value: RUN_DATE },
  code_version: { type: "STRING", value: "v-test" },
};

/** Runs the repair over `tables` and returns the tables with its inserts applied, plus the inserted rows. */
async function repair(tables: Record<string, Row[]>): Promise<{ tables: Record<string, Row[]>; inserted: Row[] }> {
  const out = await zs.evaluateModify(repairSql, tables, repairParams);
  expect(out.table).toBe("curated.commerce_events");
  expect(out.changes.every((c) => c.operation === "INSERT")).toBe(true);
  const inserted = out.changes.map((c) => c.row!);
  return { tables: { ...tables, "curated.commerce_events": [...tables["curated.commerce_events"], ...inserted] }, inserted };
}

describe("sql/repair/merge_missing_orders.sql evaluated by ZetaSQL", () => {
  it("inserts each ledger order with no order.placed row of the day, as a complete ledger_repair row", async () => {
    const { inserted } = await repair(fixtureTables());
    // Not O-TOO-LATE or O-CANCEL-STREAM: they have a placed row, however late or cancelled.
    expect(inserted.map((r) => r.order_id).sort()).toEqual(["O-DLQ", "O-DLQ-RAW", "O-MISSING"]);
    const missing = inserted.find((r) => r.order_id === "O-MISSING")!;
    expect(missing).toEqual(
      expect.objectContaining({
        event_id: "ledger_repair:O-MISSING",
        event_type: "order.placed",
        occurred_at: "2024-05-02T09:00:00Z",
        store_id: "S-AMS",
        store_time_zone: "Europe/Amsterdam",
        product_category: "toys",
        revenue_usd: "30",
        event_date: RUN_DATE,
        is_late: true,
        enrichment_status: "complete",
        source: "ledger_repair",
        pipeline_version: "v-test",
      }),
    );
    const requiredColumns = Object.entries(curatedCommerceEvents.fields).filter(([, f]) => f.mode === "REQUIRED").map(([name]) => name);
    const emptyRequired = inserted.flatMap((r) => requiredColumns.filter((c) => r[c] === null || r[c] === undefined).map((c) => `${r.order_id}.${c}`));
    expect(emptyRequired).toEqual([]);
  });

  it("is idempotent: a second run over the repaired table inserts nothing", async () => {
    const first = await repair(fixtureTables());
    expect(first.inserted).toHaveLength(3);
    const second = await repair(first.tables);
    expect(second.inserted).toEqual([]);
  });

  it("is idempotent through the local warehouse (the MERGE as it runs locally): 3 rows, then none", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "repair-merge-"));
    try {
      const warehouse = new LocalWarehouse({ stateDir, zetasql: zs });
      for (const [table, rows] of Object.entries(fixtureTables())) {
        const r = await warehouse.insertRows(table as TableId, rows);
        expect(r.failed).toEqual([]);
      }
      const curatedBefore = warehouse.rows("curated.commerce_events").length;
      expect((await warehouse.query(repairSql, repairParams)).affectedRows).toBe(3);
      expect((await warehouse.query(repairSql, repairParams)).affectedRows).toBe(0);
      const repaired = warehouse.rows("curated.commerce_events").filter((r) => r.source === "ledger_repair");
      expect(repaired.map((r) => r.order_id).sort()).toEqual(["O-DLQ", "O-DLQ-RAW", "O-MISSING"]);
      expect(warehouse.rows("curated.commerce_events")).toHaveLength(curatedBefore + 3);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it("does not hide what the stream lost: after repair the same orders are still reported", async () => {
    const discrepancyParams: Record<string, QueryParam> = {
      run_date: { type: "DATE", value: RUN_DATE },
      late_allowance_hours: { type: "INT64", value: LATE_ALLOWANCE_HOURS },
      top_k: { type: "INT64", value: 20 },
      amount_tolerance: { type: "NUMERIC", value: "0.005" },
      shard_count: { type: "INT64", value: 1 },
      shard: { type: "INT64", value: 0 },
    };
    const before = await zs.evaluateQuery(discrepanciesSql, fixtureTables(), discrepancyParams);
    const { tables } = await repair(fixtureTables());
    const after = await zs.evaluateQuery(discrepanciesSql, tables, discrepancyParams);
    expect(after.rows).toEqual(before.rows);
  });
});
