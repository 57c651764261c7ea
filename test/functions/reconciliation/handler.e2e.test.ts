import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PubSub, Subscription, Topic } from "@google-cloud/pubsub";
import { loadConfig } from "../../../config";
import { PubSubAlertPublisher } from "../../../functions/reconciliation/alert-publisher";
import { settingsFromConfig } from "../../../functions/reconciliation/env";
import { ReconciliationHandler } from "../../../functions/reconciliation/handler";
import type { ReconcileSettings } from "../../../functions/reconciliation/reconcile";
import { loadReconciliationSql } from "../../../functions/reconciliation/sql-files";
import { fromHttp } from "../../../functions/reconciliation/trigger";
import { createLogger } from "../../../functions/runtime/logger";
import { TransientWarehouseError, type Row, type Warehouse } from "../../../functions/runtime/warehouse";
import { emulatorPubSub } from "../../../local/emulator/emulator-clients";
import { LocalWarehouse } from "../../../local/warehouse/local-warehouse";
import { startPubSubEmulator, type PubSubEmulator } from "../../../local/emulator/pubsub-emulator";
import { startZetaSql, type ZetaSqlSession } from "../../../local/zetasql";
import { fixtureTables, RUN_DATE } from "../../sql/fixtures/reconciliation-day";

// The handler end to end: push envelope in, SQL on the local warehouse (ZetaSQL over rows on disk),
// run rows out, alerts on a real topic of the Pub/Sub emulator.
let emulator: PubSubEmulator;
let zs: ZetaSqlSession;
let pubsub: PubSub;
let alertsSub: Subscription;
let alertsTopic: Topic;
let testNo = 0;
let alerts: PubSubAlertPublisher;
let stateDir: string;
let warehouse: LocalWarehouse;
const logLines: Record<string, unknown>[] = [];
const logger = createLogger({ level: "info", destination: { write: (s: string) => void logLines.push(JSON.parse(s)) } });

beforeAll(async () => {
  [emulator, zs] = await Promise.all([startPubSubEmulator(), startZetaSql()]);
  pubsub = emulatorPubSub(emulator);
  const [topic] = await pubsub.createTopic("reconciliation-alerts");
  alertsTopic = topic;
  alerts = new PubSubAlertPublisher({ projectId: emulator.projectId, topic: "reconciliation-alerts", client: pubsub });
}, 90_000);

afterAll(async () => {
  await pubsub?.close();
  await Promise.all([emulator?.stop(), zs?.close()]);
});

beforeEach(async () => {
  stateDir = mkdtempSync(join(tmpdir(), "reconcile-e2e-"));
  warehouse = new LocalWarehouse({ stateDir, zetasql: zs });
  for (const [table, rows] of Object.entries(fixtureTables())) {
    const r = await warehouse.insertRows(table as `ledger.${string}`, rows);
    expect(r.failed).toEqual([]);
  }
  logLines.length = 0;
  // A subscription per test receives only that test's alerts.
  [alertsSub] = await alertsTopic.createSubscription(`alerts-probe-${++testNo}`);
});
afterEach(async () => {
  rmSync(stateDir, { recursive: true, force: true });
  await alertsSub.close();
});

const dev = settingsFromConfig(loadConfig("dev"), "v-e2e");

function handler(now: string, settings: ReconcileSettings = dev) {
  let n = 0;
  return new ReconciliationHandler(
    { warehouse, alerts, logger, sql: loadReconciliationSql(), now: () => new Date(now), newRunId: () => `run-${now}-${++n}` },
    settings,
  );
}

const push = (data: object, publishTime: string) => () =>
  fromHttp({ message: { data: Buffer.from(JSON.stringify(data)).toString("base64"), messageId: "42", publishTime }, subscription: "projects/p/subscriptions/reconciliation" }, {}, new Date());

/** The alerts published since this test's subscription was created: waits for `expected`, at most 10 s. */
function pullAlerts(expected: number): Promise<Record<string, unknown>[]> {
  return new Promise((resolve) => {
    const got: Record<string, unknown>[] = [];
    const done = () => {
      clearTimeout(timer);
      alertsSub.removeListener("message", onMessage);
      resolve(got);
    };
    const onMessage = (m: { data: Buffer; ack(): void }) => {
      got.push(JSON.parse(m.data.toString()));
      m.ack();
      if (got.length >= expected) done();
    };
    const timer = setTimeout(done, 10_000);
    alertsSub.on("message", onMessage);
  });
}

describe("reconciliation handler on the local warehouse", () => {
  it("reconciles the previous day of a scheduler push, writes one run row and its examples, and alerts on drift", async () => {
    // 00:30Z on 2024-05-03 is 02:30 in Amsterdam: the nightly job's previous_day is 2024-05-02.
    const res = await handler("2024-05-03T09:30:00Z").handle(push({ run_date: "previous_day" }, "2024-05-03T00:30:00Z"));
    expect(res.status).toBe(200);

    const runs = warehouse.rows("ops.reconciliation_runs");
    expect(runs).toHaveLength(1);
    expect(runs[0]).toEqual(
      expect.objectContaining({
        run_date: RUN_DATE,
        environment: "dev",
        code_version: "v-e2e",
        status: "fail", // 3 of 12 orders short: 25% > 1%
        stream_orders: 9,
        ledger_orders: 12,
        stream_revenue_usd: "186.2",
        ledger_revenue_usd: "271.5",
        missing_in_stream: 3,
        extra_in_stream: 2,
        duplicate_in_stream: 1,
        amount_mismatch: 1,
        late_arrival: 2,
        explained_by_dlq: 2,
        count_drift_ratio: 0.25,
        count_drift_threshold: 0.01,
      }),
    );
    expect(runs[0].revenue_drift_ratio).toBeCloseTo((271.5 - 186.2) / 271.5, 12);
    expect(runs[0].config_hash).toMatch(/^[0-9a-f]{16}$/);

    const examples = warehouse.rows("ops.reconciliation_discrepancies");
    expect(examples.map((e) => `${e.kind}:${e.order_id}`).sort()).toEqual(
      [
        "amount_mismatch:O-AMOUNT",
        "duplicate_in_stream:O-DUP",
        "explained_by_dlq:O-DLQ",
        "explained_by_dlq:O-DLQ-RAW",
        "extra_in_stream:O-CANCEL-LEDGER",
        "extra_in_stream:O-EXTRA",
        "late_arrival:O-LATE",
        "late_arrival:O-TYO-LATE",
        "missing_in_stream:O-CANCEL-STREAM",
        "missing_in_stream:O-MISSING",
        "missing_in_stream:O-TOO-LATE",
      ].sort(),
    );
    expect(examples.find((e) => e.kind === "amount_mismatch")).toEqual(
      expect.objectContaining({ run_id: runs[0].run_id, field: "amount_usd", stream_value: "20", ledger_value: "25.5", difference: "-5.5" }),
    );

    const alert = logLines.find((l) => l.alert === "reconciliation_drift");
    expect(alert).toEqual(expect.objectContaining({ severity: "ERROR", run_date: RUN_DATE, status: "fail", breached: ["count", "revenue"] }));
    const published = await pullAlerts(1);
    expect(published).toEqual([expect.objectContaining({ alert: "reconciliation_drift", run_id: runs[0].run_id, run_date: RUN_DATE })]);
  });

  it("supersedes a date's rows on a re-run, and keeps other dates", async () => {
    await warehouse.query("INSERT INTO ops.reconciliation_runs (run_id, run_date, environment, code_version, config_hash, status, started_at, finished_at, duration_ms) VALUES ('older-day', DATE '2024-05-01', 'dev', 'v0', 'h', 'pass', TIMESTAMP '2024-05-02T01:00:00Z', TIMESTAMP '2024-05-02T01:00:01Z', 1000)");
    const h = handler("2024-05-03T09:30:00Z");
    await h.handle(push({ run_date: RUN_DATE }, "2024-05-03T00:30:00Z"));
    const again = await h.handle(push({ run_date: RUN_DATE }, "2024-05-03T00:30:00Z"));
    expect(again.status).toBe(200);
    const runs = warehouse.rows("ops.reconciliation_runs");
    expect(runs.map((r) => [r.run_date, r.run_id])).toEqual([
      ["2024-05-01", "older-day"],
      [RUN_DATE, "run-2024-05-03T09:30:00Z-2"],
    ]);
    const examples = warehouse.rows("ops.reconciliation_discrepancies");
    expect(new Set(examples.map((e) => e.run_id))).toEqual(new Set(["run-2024-05-03T09:30:00Z-2"]));
    expect(examples).toHaveLength(11);
  });

  describe("a re-run that fails part-way", () => {
    const sql = loadReconciliationSql();
    /** A re-run whose statement `failing` throws a transient error; its run ids are rerun-1, rerun-2, ... */
    const rerunFailingAt = (failing: string) => {
      const flaky: Warehouse = {
        insertRows: (t, r, o) => warehouse.insertRows(t, r, o),
        query: (text, params) => (text === failing ? Promise.reject(new TransientWarehouseError("injected: backend error")) : warehouse.query(text, params)),
      };
      let n = 0;
      return new ReconciliationHandler({ warehouse: flaky, alerts, logger, sql, now: () => new Date("2024-05-03T11:00:00Z"), newRunId: () => `rerun-${++n}` }, dev);
    };
    const night = "run-2024-05-03T09:30:00Z-1";
    const runsOfDay = () => warehouse.rows("ops.reconciliation_runs").filter((r) => r.run_date === RUN_DATE).map((r) => [r.run_id, r.status]);
    const exampleRunIds = () => new Set(warehouse.rows("ops.reconciliation_discrepancies").map((e) => e.run_id));

    beforeEach(async () => {
      await handler("2024-05-03T09:30:00Z").handle(push({ run_date: RUN_DATE }, "2024-05-03T00:30:00Z"));
    });

    it("while writing: withdraws what it wrote and records the error under its own id beside the night's run", async () => {
      expect((await rerunFailingAt(sql.recordDiscrepancies).handle(push({ run_date: RUN_DATE }, "2024-05-03T10:59:00Z"))).status).toBe(503);
      expect(runsOfDay()).toEqual([
        [night, "fail"],
        ["rerun-2", "error"],
      ]);
      expect(exampleRunIds()).toEqual(new Set([night]));
    });

    it("while superseding: its complete run stands beside the night's, and the retry leaves only the retry's run", async () => {
      expect((await rerunFailingAt(sql.supersedeRuns).handle(push({ run_date: RUN_DATE }, "2024-05-03T10:59:00Z"))).status).toBe(503);
      expect(runsOfDay()).toEqual([
        [night, "fail"],
        ["rerun-1", "fail"],
        ["rerun-2", "error"],
      ]);
      expect(exampleRunIds()).toEqual(new Set([night, "rerun-1"]));
      expect((await handler("2024-05-03T12:00:00Z").handle(push({ run_date: RUN_DATE }, "2024-05-03T10:59:00Z"))).status).toBe(200);
      expect(runsOfDay()).toEqual([["run-2024-05-03T12:00:00Z-1", "fail"]]);
      expect(exampleRunIds()).toEqual(new Set(["run-2024-05-03T12:00:00Z-1"]));
    });
  });

  it("computes the trend against the previous 7 days' runs", async () => {
    for (const [day, ratio] of [["2024-04-30", 0.05], ["2024-05-01", 0.15], ["2024-04-20", 0.9]] as const) {
      await warehouse.query(
        "INSERT INTO ops.reconciliation_runs (run_id, run_date, environment, code_version, config_hash, status, started_at, finished_at, duration_ms, count_drift_ratio) VALUES (@id, @day, 'dev', 'v0', 'h', 'fail', TIMESTAMP '2024-05-02T01:00:00Z', TIMESTAMP '2024-05-02T01:00:01Z', 1000, @ratio)",
        { id: { type: "STRING", value: `r-${day}` }, day: { type: "DATE", value: day }, ratio: { type: "FLOAT64", value: ratio } },
      );
    }
    await handler("2024-05-03T09:30:00Z").handle(push({ run_date: RUN_DATE }, "2024-05-03T00:30:00Z"));
    const run = warehouse.rows("ops.reconciliation_runs").find((r) => r.run_date === RUN_DATE)!;
    // 0.25 minus the mean of 0.05 and 0.15 (2024-04-20 is more than 7 days back).
    expect(run.count_drift_trend).toBeCloseTo(0.15, 12);
    expect(run.revenue_drift_trend ?? null).toBeNull();
  });

  it("answers 503 while the ledger partition has not landed, then records late_source past the deadline and alerts", async () => {
    const dayWithoutLedger = "2024-05-04";
    // Amsterdam's day closes 2024-05-04T22:00Z; the dev deadline is 12 h later, 2024-05-05T10:00Z.
    const early = await handler("2024-05-05T09:59:00Z").handle(push({ run_date: dayWithoutLedger }, "2024-05-05T00:30:00Z"));
    expect(early).toEqual({ status: 503, body: expect.objectContaining({ outcome: "source_pending", ledger_deadline: "2024-05-05T10:00:00.000Z" }) });
    expect(warehouse.rows("ops.reconciliation_runs")).toEqual([]);

    const late = await handler("2024-05-05T10:01:00Z").handle(push({ run_date: dayWithoutLedger }, "2024-05-05T00:30:00Z"));
    expect(late.status).toBe(200);
    expect(warehouse.rows("ops.reconciliation_runs")).toEqual([
      expect.objectContaining({ run_date: dayWithoutLedger, status: "late_source", error_message: expect.stringContaining("past the deadline 2024-05-05T10:00:00.000Z") }),
    ]);
    expect(await pullAlerts(1)).toEqual([expect.objectContaining({ alert: "reconciliation_late_source", run_date: dayWithoutLedger })]);
  });

  describe("the completeness gate (ledger.load_markers)", () => {
    const nextDay = "2024-05-04";
    // Amsterdam's day closes 2024-05-04T22:00Z; the dev deadline is 12 h later, 2024-05-05T10:00Z.
    const before = "2024-05-05T09:00:00Z";
    const after = "2024-05-05T10:01:00Z";
    const order = (id: string): Row => ({ ...fixtureTables()["ledger.orders"][0], order_id: id, order_date: nextDay });
    const runsOf = (day: string) => warehouse.rows("ops.reconciliation_runs").filter((r) => r.run_date === day);
    const marker = (expected: number, loadedAt = "2024-05-05T08:00:00Z") => ({ order_date: nextDay, expected_rows: expected, loaded_at: loadedAt });

    it("a partial export without its marker is pending before the deadline and late_source after it, never pass/fail", async () => {
      await warehouse.insertRows("ledger.orders", [order("N-1")]);
      const early = await handler(before).handle(push({ run_date: nextDay }, before));
      expect(early).toEqual({ status: 503, body: expect.objectContaining({ outcome: "source_pending", reason: `ledger.load_markers has no row for ${nextDay} (ledger.orders holds 1 rows of it)` }) });
      expect(runsOf(nextDay)).toEqual([]);

      const late = await handler(after).handle(push({ run_date: nextDay }, before));
      expect(late.status).toBe(200);
      expect(runsOf(nextDay)).toEqual([expect.objectContaining({ status: "late_source", error_message: expect.stringContaining("ledger.load_markers has no row for 2024-05-04") })]);
      expect(runsOf(nextDay)[0].stream_orders ?? null).toBeNull();
    });

    it("waits while the ledger holds fewer rows than the newest marker announces", async () => {
      await warehouse.insertRows("ledger.orders", [order("N-1")]);
      await warehouse.insertRows("ledger.load_markers", [marker(1, "2024-05-05T07:00:00Z"), marker(3)]);
      const res = await handler(before).handle(push({ run_date: nextDay }, before));
      expect(res.body).toEqual(expect.objectContaining({ outcome: "source_pending", reason: `ledger.orders holds 1 rows for ${nextDay}, its load marker announces 3` }));
      expect(runsOf(nextDay)).toEqual([]);
    });

    it("compares once the marker matches, and that result supersedes the date's late_source rows (reruns never pile up)", async () => {
      await warehouse.insertRows("ledger.orders", [order("N-1"), order("N-2")]);
      for (const at of [after, "2024-05-05T11:00:00Z"]) expect((await handler(at).handle(push({ run_date: nextDay }, before))).status).toBe(200);
      // The second late_source run replaced the first.
      expect(runsOf(nextDay).map((r) => r.status)).toEqual(["late_source"]);

      await warehouse.insertRows("ledger.load_markers", [marker(2, "2024-05-05T11:30:00Z")]);
      const done = await handler("2024-05-05T12:00:00Z").handle(push({ run_date: nextDay }, before));
      expect(done.body.outcome).toBe("completed");
      expect(runsOf(nextDay)).toEqual([expect.objectContaining({ status: "fail", ledger_orders: 2, stream_orders: 0 })]);
    });
  });

  it("repairs behind config: inserts the missing ledger orders once, as ledger_repair rows", async () => {
    const withRepair = { ...dev, repair: true };
    const first = await handler("2024-05-03T09:30:00Z", withRepair).handle(push({ run_date: RUN_DATE }, "2024-05-03T00:30:00Z"));
    expect(first.body.repaired_rows).toBe(3);
    const second = await handler("2024-05-03T09:31:00Z", withRepair).handle(push({ run_date: RUN_DATE }, "2024-05-03T00:30:00Z"));
    expect(second.body.repaired_rows).toBe(0);
    const repaired = warehouse.rows("curated.commerce_events").filter((r: Row) => r.source === "ledger_repair");
    expect(repaired.map((r) => r.order_id).sort()).toEqual(["O-DLQ", "O-DLQ-RAW", "O-MISSING"]);
  });

  it("rejects a request without a usable run_date with 400 and writes nothing", async () => {
    expect((await handler("2024-05-03T09:30:00Z").handle(push({ run_date: "yesterday" }, "2024-05-03T00:30:00Z"))).status).toBe(400);
    expect((await handler("2024-05-03T09:30:00Z").handle(() => fromHttp({ hello: 1 }, {}, new Date()))).status).toBe(400);
    expect(warehouse.rows("ops.reconciliation_runs")).toEqual([]);
  });
});
