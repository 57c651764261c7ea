/**
 * Replay end to end on the real Pub/Sub emulator and ZetaSQL (local/scenarios/replay-scenario.ts):
 * the enrichment function's fault switch acks N events without writing them; the nightly
 * reconciliation's stream parity canary finds exactly those N; the curated table refuses M more
 * (dead-lettered); after the fix a redrive curates exactly the M and a second redrive re-publishes
 * nothing; a replay of the window restores the N; a second replay adds nothing; the re-run
 * reconciliation counts the restored orders as streamed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { loadConfig } from "../../config";
import { stackId } from "../../stacks/app";
import { PipelineStack } from "../../stacks/pipeline-stack";
import type { TerraformJson } from "../../stacks/terraform-json";
import { replayScenarioHolds, runReplayScenario, type ReplayScenarioReport } from "../../local/scenarios/replay-scenario";
import { FIXTURE_BUNDLES, PROJECT_ROOT } from "../stacks/synth-pipeline";

const LOST = 3;
const REJECTED = 2;
let stateDir: string;
let outdir: string;
let report: ReplayScenarioReport;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), "streamline-replay-scenario-"));
  outdir = mkdtempSync(join(tmpdir(), "streamline-replay-stack-"));
  // The dev stack synthesized in-process (the function zips do not matter: functions run from source here).
  const config = loadConfig("dev");
  const stack = new PipelineStack(Testing.app({ outdir }), stackId(config), { config, functionBundlesDir: FIXTURE_BUNDLES, sqlDir: join(PROJECT_ROOT, "sql"), pipelineVersion: "0.0.0-test" });
  const tf = JSON.parse(Testing.synth(stack)) as TerraformJson;
  report = await runReplayScenario({ events: 120, lost: LOST, rejected: REJECTED, seed: 11, rate: 400, stateDir, stack: tf });
  // ~100 s alone on a loaded 2-core machine: two function start-ups, two reconciliation runs, two redrives, two replays.
}, 240_000);

afterAll(() => {
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(outdir, { recursive: true, force: true });
});

test("the canary finds exactly the events the function acked without writing", () => {
  expect(report.lostEventIds).toHaveLength(LOST);
  expect(report.found).toBe(LOST);
  expect(report.foundEventIds).toEqual([...report.lostEventIds].sort());
});

test("a redrive after the fix curates exactly the dead-lettered events, marked source = replay; a second redrive re-publishes none", () => {
  expect(report.rejectedEventIds).toHaveLength(REJECTED);
  expect(report.redrive).toMatchObject({ letters: REJECTED, published: REJECTED, recorded: REJECTED, failed: [], byReason: { rejected_by_warehouse: REJECTED } });
  expect(report.curatedAfterRedrive).toBe(REJECTED);
  expect(report.restoredByRedrive).toBe(REJECTED);
  expect(report.secondRedrive).toMatchObject({ letters: 0, published: 0, recorded: 0 });
});

test("the re-run reconciliation counts the replayed and redriven orders as streamed", () => {
  // The nightly run saw the lost and refused orders missing (the refused ones explained by the DLQ), the re-run none.
  expect(report.ledger.after.replayedOrders).toBeGreaterThan(0); // the seed's lost and refused events include orders
  expect(report.ledger.before.missingInStream + report.ledger.before.explainedByDlq).toBe(report.ledger.after.replayedOrders);
  expect(report.ledger.after).toMatchObject({ missingInStream: 0, explainedByDlq: 0 });
});

test("a replay of the window restores exactly them, marked source = replay, and the canary then reports 0", () => {
  expect(report.firstReplay).toMatchObject({ messages: report.published, published: report.published, failed: [] });
  expect(report.curatedAfterReplay).toBe(LOST);
  expect(report.restoredAsReplay).toBe(LOST);
  expect(report.foundAfterReplay).toBe(0);
});

test("a second replay of the same window adds no row to the dedup view", () => {
  expect(report.secondReplay.published).toBe(report.published);
  expect(report.secondReplayAdded).toBe(0);
  expect(replayScenarioHolds(report)).toBe(true);
});
