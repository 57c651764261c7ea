import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { loadConfig } from "../../../config";
import type { CuratedRow } from "../../../contracts";
import type { AlertPublisher, ReconciliationAlert } from "../../../functions/reconciliation/alert-publisher";
import { settingsFromConfig } from "../../../functions/reconciliation/env";
import { reconcile, type ReconcileSettings } from "../../../functions/reconciliation/reconcile";
import { loadReconciliationSql } from "../../../functions/reconciliation/sql-files";
import { createLogger } from "../../../functions/runtime/logger";
import type { Row } from "../../../functions/runtime/warehouse";
import { LocalWarehouse } from "../../../local/warehouse/local-warehouse";
import { startZetaSql, type ZetaSqlSession } from "../../../local/zetasql";
import { fixtureTables } from "../../sql/fixtures/reconciliation-day";
import { LATE_THRESHOLD_SECONDS, REFERENCE_TABLES, RUN_DATE, streamedDay } from "../../sql/fixtures/recompute-day";

// The nightly run carries the recompute parity canary: its counts in the run row, each differing
// column a discrepancy row, an alert (with its runbook section) above the threshold, the count on the
// finished log line the log-based metric reads. SQL on the local warehouse (ZetaSQL).
let zs: ZetaSqlSession;
let stateDir: string | undefined;
let warehouse: LocalWarehouse;
beforeAll(async () => {
  zs = await startZetaSql();
});
afterAll(async () => {
  await zs?.close();
});
afterEach(() => {
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  stateDir = undefined;
});

/** A complete ledger day (so the run gets past its gate) plus the streamed day of recompute-day.ts. */
async function day(curated: (rows: CuratedRow[]) => Row[] = (rows) => rows): Promise<void> {
  stateDir = mkdtempSync(join(tmpdir(), "recompute-parity-"));
  warehouse = new LocalWarehouse({ stateDir, zetasql: zs });
  const streamed = streamedDay();
  const { "ref.stores": _s, "ref.products": _p, ...ledgerDay } = fixtureTables();
  const tables: Record<string, Row[]> = { ...ledgerDay, ...REFERENCE_TABLES, "raw.commerce_events": streamed.raw };
  tables["curated.commerce_events"] = [...tables["curated.commerce_events"], ...curated(streamed.curated)];
  for (const [table, rows] of Object.entries(tables)) expect((await warehouse.insertRows(table as "ledger.orders", rows)).failed).toEqual([]);
}

class CollectingAlerts implements AlertPublisher {
  readonly sent: ReconciliationAlert[] = [];
  async publish(a: ReconciliationAlert): Promise<void> {
    void this.sent.push(a);
  }
}

function run(settings: ReconcileSettings = settingsFromConfig(loadConfig("dev"), "v-test")) {
  const alerts = new CollectingAlerts();
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const deps = { warehouse, alerts, logger: createLogger({ level: "info", destination }), sql: loadReconciliationSql(), now: () => new Date("2024-05-03T12:00:00Z"), newRunId: () => "run-recompute" };
  return { alerts, lines, outcome: reconcile(deps, settings, RUN_DATE) };
}

const runRow = async () =>
  (await warehouse.query("SELECT parity_sampled, parity_mismatch FROM ops.reconciliation_runs WHERE run_date = @d", { d: { type: "DATE", value: RUN_DATE } })).rows;

test("the settings judge lateness as the enrichment does", () => {
  expect(settingsFromConfig(loadConfig("dev"), "v").parity.lateThresholdSeconds).toBe(loadConfig("dev").enrichment.lateThresholdSeconds);
  expect(LATE_THRESHOLD_SECONDS).toBe(loadConfig("dev").enrichment.lateThresholdSeconds);
});

test("a curated row altered after the stream wrote it: the run row counts it, the discrepancy names the column, it alerts and logs the count", async () => {
  await day((rows) => rows.map((r) => (r.event_id === "e-ams" ? { ...r, revenue_usd: "34.5" } : r)));
  const { alerts, lines, outcome } = run();
  expect((await outcome).outcome).toBe("completed");
  expect(await runRow()).toEqual([{ parity_sampled: 6, parity_mismatch: 1 }]);
  const found = (
    await warehouse.query("SELECT order_id, field, stream_value, ledger_value, difference FROM ops.reconciliation_discrepancies WHERE run_date = @d AND kind = 'parity_mismatch'", {
      d: { type: "DATE", value: RUN_DATE },
    })
  ).rows;
  expect(found).toEqual([{ order_id: "O-e-ams", field: "revenue_usd", stream_value: "34.5", ledger_value: "34.02", difference: "0.48" }]);
  expect(alerts.sent.filter((a) => a.alert === "parity_mismatch")).toEqual([
    expect.objectContaining({ parity_mismatch: 1, parity_sampled: 6, runbook: "docs/RUNBOOK.md#parity-recompute-mismatch" }),
  ]);
  // What the log-based metrics match: the finished line's count, the alert's ERROR line.
  expect(lines.find((l) => l.event === "reconciliation_finished")).toEqual(
    expect.objectContaining({ parity_mismatch: 1, parity_sampled: 6, lost_in_enrichment: 0, parity_wall_ms: { lost_in_enrichment: expect.any(Number), parity_mismatch: expect.any(Number) } }),
  );
  expect(lines.find((l) => l.alert === "parity_mismatch")).toEqual(expect.objectContaining({ severity: "ERROR" }));
});

test("a clean day records 0 of the sample and raises no parity alert", async () => {
  await day();
  const { alerts, outcome } = run();
  await outcome;
  expect(await runRow()).toEqual([{ parity_sampled: 6, parity_mismatch: 0 }]);
  expect(alerts.sent.map((a) => a.alert)).not.toContain("parity_mismatch");
});

test("a mismatch within the configured threshold is recorded but does not alert", async () => {
  await day((rows) => rows.map((r) => (r.event_id === "e-ams" ? { ...r, revenue_usd: "34.5" } : r)));
  const settings = settingsFromConfig(loadConfig("dev"), "v-test");
  const { alerts, outcome } = run({ ...settings, parity: { ...settings.parity, mismatchMax: 1 } });
  await outcome;
  expect(await runRow()).toEqual([{ parity_sampled: 6, parity_mismatch: 1 }]);
  expect(alerts.sent.map((a) => a.alert)).not.toContain("parity_mismatch");
});

test("a recompute canary that cannot run records it as not measured, leaves it off the finished line, and the run completes", async () => {
  await day();
  const sql = loadReconciliationSql();
  const real = warehouse;
  const refusing = {
    insertRows: real.insertRows.bind(real),
    query: (text: string, params?: Parameters<LocalWarehouse["query"]>[1]) =>
      text === sql.recomputeSample ? Promise.reject(new Error("the query needs more rows than one ZetaSQL request can carry")) : real.query(text, params),
  };
  warehouse = refusing as unknown as LocalWarehouse;
  const { lines, outcome } = run();
  warehouse = real;
  expect((await outcome).outcome).toBe("completed");
  expect(await runRow()).toEqual([{ parity_sampled: null, parity_mismatch: null }]);
  expect(lines.find((l) => l.event === "reconciliation_finished")).not.toHaveProperty("parity_mismatch");
  expect(lines.find((l) => l.event === "parity_canary_failed")).toEqual(expect.objectContaining({ severity: "ERROR", canary: "parity_mismatch" }));
});
