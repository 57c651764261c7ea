/**
 * The fault run, small: 5,000 messages (5% poison, 10% duplicates of all three kinds) through the real
 * emulator and function processes, one SIGKILL of the enrichment process and 10 s of 20% transient sink
 * errors. `npm run bench:faults` is the full run (100,000 messages, 3 kills, outage and slow sink).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { faultLine, runFaultRun, type FaultRunResult } from "../../../local/faults/fault-run";

let stateDir: string;
let result: FaultRunResult;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), "fault-run-"));
  const lines: string[] = [];
  result = await runFaultRun({
    events: 5000,
    rate: 1000,
    seed: 3,
    poisonShare: 0.05,
    duplicateShare: 0.1,
    kills: 1,
    sinkErrors: { atS: 1, seconds: 10, share: 0.2 },
    stateDir,
    log: (l) => lines.push(l),
  });
  // One line for the test log, as the bench prints it.
  console.log(`${faultLine(result)}\n${lines.filter((l) => /fault:|supervisor:|drained/.test(l)).join("\n")}`);
}, 600_000);

afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

test("the faults happened: one SIGKILL answered by one restart, injected sink errors", () => {
  expect(result.events).toBe(5000);
  expect(result.kills).toBe(1);
  expect(result.restarts).toBe(1);
  expect(result.sinkErrorCalls).toBeGreaterThan(0);
  expect(Object.keys(result.duplicatesByKind).sort()).toEqual(["conflicting", "exact", "restamped"]);
  expect(faultLine(result)).toMatch(
    /^faults: events=5000 poison=250 duplicates=500 kills=1 restarts=1 sink_error_calls=[1-9]\d* lost=\d+ duplicated=\d+ dlq_exact=(yes|no) stranded=\d+ wall_s=\d+\.\d$/,
  );
});

test("every valid event is exactly once in the dedup view", () => {
  expect(result.drained).toBe(true);
  expect({ lost: result.lost, duplicated: result.duplicated }).toEqual({ lost: 0, duplicated: 0 });
});

test("the DLQ holds exactly the poison events, each with its reason, and nothing is stranded", () => {
  expect({ dlqExact: result.dlqExact, missing: result.dlqMissing, unexpected: result.dlqUnexpected }).toEqual({ dlqExact: true, missing: 0, unexpected: 0 });
  expect(result.poison).toBe(250);
  expect(result.stranded).toBe(0);
});
