import { loadConfig } from "../../../config";
import type { AlertPublisher, ReconciliationAlert } from "../../../functions/reconciliation/alert-publisher";
import { settingsFromConfig } from "../../../functions/reconciliation/env";
import { reconcile } from "../../../functions/reconciliation/reconcile";
import { loadReconciliationSql } from "../../../functions/reconciliation/sql-files";
import { createLogger } from "../../../functions/runtime/logger";
import type { Row } from "../../../functions/runtime/warehouse";
import type { LocalWarehouse } from "../../../local/warehouse/local-warehouse";
import { fixtureTables, RUN_DATE } from "../../sql/fixtures/reconciliation-day";
import { freshWarehouseEachTest } from "../../support/local-warehouse-fixture";

// The nightly run carries the stream parity canary: its count in the run row, its findings in the
// discrepancy rows, an alert above the threshold. SQL on the local warehouse (ZetaSQL).
let warehouse: LocalWarehouse;
freshWarehouseEachTest("parity-canary-", async (w) => {
  warehouse = w.warehouse;
  for (const [table, rows] of Object.entries(fixtureTables())) expect((await warehouse.insertRows(table as "ledger.orders", rows)).failed).toEqual([]);
});

class CollectingAlerts implements AlertPublisher {
  readonly sent: ReconciliationAlert[] = [];
  async publish(a: ReconciliationAlert): Promise<void> {
    void this.sent.push(a);
  }
}

const rawRow = (messageId: string, eventId: string, at: string): Row => ({
  subscription_name: "projects/p/subscriptions/raw-mirror",
  message_id: messageId,
  publish_time: at,
  data: Buffer.from(JSON.stringify({ event_id: eventId, event_type: "inventory.adjusted", store_id: "S-AMS", channel: "store" })).toString("base64"),
  attributes: "{}",
});

const deps = (alerts: AlertPublisher) => ({
  warehouse,
  alerts,
  logger: createLogger({ level: "silent" }),
  sql: loadReconciliationSql(),
  now: () => new Date("2024-05-03T12:00:00Z"),
  newRunId: () => "run-parity",
});
const settings = settingsFromConfig(loadConfig("dev"), "v-test");

test("a day whose raw mirror holds events the function never wrote records them as lost_in_enrichment and alerts", async () => {
  await warehouse.insertRows("raw.commerce_events", [rawRow("m-a", "inv-1", "2024-05-02T10:00:00Z"), rawRow("m-b", "inv-2", "2024-05-02T11:00:00Z")]);
  const alerts = new CollectingAlerts();
  const outcome = await reconcile(deps(alerts), settings, RUN_DATE);
  expect(outcome.outcome).toBe("completed");
  const [run] = (await warehouse.query("SELECT run_id, lost_in_enrichment FROM ops.reconciliation_runs WHERE run_date = @d", { d: { type: "DATE", value: RUN_DATE } })).rows;
  expect(run).toEqual({ run_id: "run-parity", lost_in_enrichment: 2 });
  const found = (await warehouse.query("SELECT stream_value FROM ops.reconciliation_discrepancies WHERE run_date = @d AND kind = 'lost_in_enrichment' ORDER BY stream_value", { d: { type: "DATE", value: RUN_DATE } })).rows;
  expect(found).toEqual([{ stream_value: "inv-1" }, { stream_value: "inv-2" }]);
  expect(alerts.sent.filter((a) => a.alert === "parity_lost_in_enrichment")).toEqual([
    expect.objectContaining({ lost_in_enrichment: 2, runbook: "docs/RUNBOOK.md#parity-lost-in-enrichment" }),
  ]);
});

test("a day whose raw mirror is all accounted for records 0 and raises no parity alert", async () => {
  const alerts = new CollectingAlerts();
  await reconcile(deps(alerts), settings, RUN_DATE);
  const [run] = (await warehouse.query("SELECT lost_in_enrichment FROM ops.reconciliation_runs WHERE run_date = @d", { d: { type: "DATE", value: RUN_DATE } })).rows;
  expect(run).toEqual({ lost_in_enrichment: 0 });
  expect(alerts.sent.map((a) => a.alert)).not.toContain("parity_lost_in_enrichment");
});

test("a canary that cannot run records lost_in_enrichment as not measured and the run still completes", async () => {
  const sql = loadReconciliationSql();
  // ZetaSQL refuses requests over 4 MiB: what the canary meets on a large local day.
  const refusing = {
    insertRows: warehouse.insertRows.bind(warehouse),
    query: (text: string, params?: Parameters<LocalWarehouse["query"]>[1]) =>
      text === sql.lostInEnrichment ? Promise.reject(new Error("the query needs more rows than one ZetaSQL request can carry")) : warehouse.query(text, params),
  };
  const outcome = await reconcile({ ...deps(new CollectingAlerts()), warehouse: refusing as unknown as LocalWarehouse }, settings, RUN_DATE);
  expect(outcome.outcome).toBe("completed");
  const [run] = (await warehouse.query("SELECT status, lost_in_enrichment FROM ops.reconciliation_runs WHERE run_date = @d", { d: { type: "DATE", value: RUN_DATE } })).rows;
  expect(run).toEqual({ status: expect.stringMatching(/pass|warn|fail/), lost_in_enrichment: null });
});
