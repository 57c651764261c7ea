/**
 * End to end: `npm start`'s entry with a small day, then the report is checked against what the
 * generator injected (regenerated here from the seed) and against the warehouse the run left.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { DeadLetterRow, ReconciliationDiscrepancyRow } from "../../contracts";
import { generateCommerceDay } from "../../local/generator/commerce-day";
import { startProcess, type ManagedProcess } from "../../local/processes/managed-process";
import type { PipelineReport } from "../../local/pipeline/report";
import { LocalWarehouse } from "../../local/warehouse/local-warehouse";
import { startZetaSql } from "../../local/zetasql";

const ROOT = resolve(__dirname, "..", "..");
const EVENTS = 2000;
const RATE = 1000;
const SEED = 20260311;

let stateDir: string;
let run: ManagedProcess;
let exitCode: number | null;
let report: PipelineReport;

const tableRows = <T>(table: string): T[] =>
  readFileSync(join(stateDir, "warehouse", `${table}.jsonl`), "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as T);

/** ops.dead_letters_explained over the run's warehouse, evaluated by ZetaSQL. */
async function explainedDeadLetters(): Promise<DeadLetterRow[]> {
  const zetasql = await startZetaSql();
  try {
    return (await new LocalWarehouse({ stateDir: join(stateDir, "warehouse"), zetasql }).query<DeadLetterRow>("SELECT * FROM ops.dead_letters_explained")).rows;
  } finally {
    await zetasql.close();
  }
}

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), "streamline-e2e-"));
  run = startProcess(
    "npm start",
    process.execPath,
    ["--import", "tsx", join(ROOT, "local", "run.ts"), "--events", String(EVENTS), "--rate", String(RATE), "--seed", String(SEED), "--state-dir", stateDir],
    { cwd: ROOT, env: { ...process.env, LOG_LEVEL: "info" } },
  );
  exitCode = await new Promise<number | null>((res) => {
    if (run.child.exitCode !== null) res(run.child.exitCode);
    else run.child.once("exit", (code) => res(code));
  });
  if (!existsSync(join(stateDir, "report.json"))) throw new Error(`the run wrote no report.json (exit ${exitCode}); it printed:\n${run.output().slice(-6000)}`);
  report = JSON.parse(readFileSync(join(stateDir, "report.json"), "utf8")) as PipelineReport;
}, 170_000);

afterAll(async () => {
  await run?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

test("the run finishes, drains and writes report.json and report.md", () => {
  expect({ exitCode, drained: report.drained }).toEqual({ exitCode: 0, drained: true });
  expect(readFileSync(join(stateDir, "report.md"), "utf8")).toContain("## Reconciliation");
});

test("every message is accounted for: published == curated + dead_lettered + duplicates_dropped", () => {
  expect(report.published).toBe(EVENTS);
  expect(report.publish_rejected).toBe(0);
  expect(report.curated + report.dead_lettered + report.duplicates_dropped).toBe(report.published);
  expect(report.raw_mirrored).toBe(report.published);
  expect(report.duplicates_dropped).toBe(report.injected.duplicate);
  expect(report.curated).toBe(tableRows("curated.commerce_events").length);
});

test("every injected poison message is in the dead letters with a reason", async () => {
  const day = generateCommerceDay({ seed: SEED, events: EVENTS, ratePerSecond: RATE, startMs: Date.parse(report.stream_started_at) });
  expect(day.poisonEventIds.length).toBeGreaterThan(0);
  expect(report.injected).toEqual(day.injected);
  // Stored as the BigQuery subscription stores them (the message only), explained by the view.
  expect(tableRows<DeadLetterRow>("ops.dead_letters").filter((d) => d.reason !== undefined)).toEqual([]);
  const deadLetters = await explainedDeadLetters();
  const reasonByEventId = new Map(deadLetters.map((d) => [(JSON.parse(d.payload_string ?? "{}") as { event_id?: string }).event_id, d.reason]));
  for (const id of day.poisonEventIds) expect({ id, reason: reasonByEventId.get(id) }).toEqual({ id, reason: expect.stringMatching(/\w+/) });
  expect(deadLetters).toHaveLength(day.poisonEventIds.length);
});

test("reconciliation finds exactly the drift the generator injected", () => {
  const day = generateCommerceDay({ seed: SEED, events: EVENTS, ratePerSecond: RATE, startMs: Date.parse(report.stream_started_at) });
  expect(report.run_date).toBe(day.runDate);
  expect(Object.values(day.expectedDiscrepancies).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  expect(report.reconciliation).toEqual(day.expectedDiscrepancies);
  // The written example rows agree with the run's counts (top-K is well above these counts).
  const examples = tableRows<ReconciliationDiscrepancyRow>("ops.reconciliation_discrepancies");
  for (const [kind, orders] of Object.entries(day.expectedDiscrepancies)) {
    expect({ kind, orders: new Set(examples.filter((e) => e.kind === kind).map((e) => e.order_id)).size }).toEqual({ kind, orders });
  }
});

test("npm run reconcile re-runs the day on the same --state-dir (README), superseding npm start's run", async () => {
  const rerun = startProcess("npm run reconcile", process.execPath, ["--import", "tsx", join(ROOT, "scripts", "reconcile.ts"), "--date", report.run_date, "--state-dir", stateDir], { cwd: ROOT, env: { ...process.env } });
  const code = await new Promise<number | null>((res) => (rerun.child.exitCode !== null ? res(rerun.child.exitCode) : rerun.child.once("exit", (c) => res(c))));
  const status = report.reconciliation_run!.status;
  expect({ code, status }).toEqual({ code: status === "fail" ? 1 : 0, status });
  const runs = tableRows<{ run_id: string; run_date: string }>("ops.reconciliation_runs").filter((r) => r.run_date === report.run_date);
  expect(runs).toHaveLength(1);
  expect(runs[0].run_id).not.toBe(report.reconciliation_run!.run_id);
  expect(rerun.output()).toContain(`run_id=${runs[0].run_id}`);
}, 90_000);

test("no process the run started is left running", () => {
  expect(report.processes.length).toBeGreaterThanOrEqual(3);
  const alive = report.processes.filter((p) => {
    try {
      process.kill(p.pid, 0);
      return true;
    } catch {
      return false;
    }
  });
  expect(alive).toEqual([]);
});
