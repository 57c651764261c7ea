import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Row } from "../../functions/runtime/warehouse";
import { startProcess } from "../../local/processes/managed-process";
import { warehouseDirOf } from "../../local/pipeline/state-dir";
import { LocalWarehouse } from "../../local/warehouse/local-warehouse";
import { startZetaSql, type ZetaSqlSession } from "../../local/zetasql";
import { RECONCILE_EXIT } from "../../scripts/reconcile-exit-code";
import { fixtureTables, RUN_DATE } from "../sql/fixtures/reconciliation-day";

// `npm run reconcile` as separate processes on one local warehouse (the shared ZetaSQL server of
// the jest run, via STREAMLINE_ZETASQL_ADDRESS): exit codes, the state folder, concurrent reruns.
const ROOT = resolve(__dirname, "..", "..");
/** Local repeats of the concurrent test: CONCURRENT_RERUN_REPEATS=50 (npm test runs it once). */
const REPEATS = Number(process.env.CONCURRENT_RERUN_REPEATS ?? 1);
const PROCESSES = 8;

let zs: ZetaSqlSession;
const dirs: string[] = [];
beforeAll(async () => {
  zs = await startZetaSql();
});
afterAll(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  await zs?.close();
});

/** A state folder as npm start leaves it, holding the fixture day (complete, with its load marker). */
async function stateWithFixtureDay(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "reconcile-cli-"));
  dirs.push(dir);
  const w = new LocalWarehouse({ stateDir: warehouseDirOf(dir), zetasql: zs });
  for (const [table, rows] of Object.entries(fixtureTables())) expect((await w.insertRows(table as `ledger.${string}`, rows)).failed).toEqual([]);
  return dir;
}

function cli(args: string[]): Promise<{ code: number | null; output: string }> {
  const p = startProcess("npm run reconcile", process.execPath, ["--import", "tsx", join(ROOT, "scripts", "reconcile.ts"), ...args], { cwd: ROOT, env: { ...process.env } });
  return new Promise((res) => {
    const done = (code: number | null) => setImmediate(() => res({ code, output: p.output() }));
    if (p.child.exitCode !== null) done(p.child.exitCode);
    else p.child.once("exit", done);
  });
}

const rowsOf = (dir: string, table: string): Row[] => new LocalWarehouse({ stateDir: warehouseDirOf(dir), zetasql: zs }).rows(table);

describe("npm run reconcile", () => {
  it("exits 1 for a completed fail, and writes the run into the --state-dir npm start uses", async () => {
    const dir = await stateWithFixtureDay();
    const r = await cli(["--date", RUN_DATE, "--state-dir", dir]);
    expect(r).toEqual({ code: RECONCILE_EXIT.drift, output: expect.stringMatching(new RegExp(`^${RUN_DATE} fail stream=9 ledger=12 `, "m")) });
    expect(rowsOf(dir, "ops.reconciliation_runs").map((x) => x.status)).toEqual(["fail"]);
  }, 60_000);

  it("exits 2 when the ledger export is not complete (no load marker), 64 for a state folder that does not exist", async () => {
    const dir = await stateWithFixtureDay();
    const missing = join(dir, "no-such-state");
    const [pending, typo] = await Promise.all([cli(["--date", "2024-05-04", "--state-dir", dir]), cli(["--date", RUN_DATE, "--state-dir", missing])]);
    expect(pending.code).toBe(RECONCILE_EXIT.sourceNotReady);
    expect(pending.output).toMatch(/2024-05-04 late_source: .*ledger.load_markers has no row for 2024-05-04/);
    expect(typo.code).toBe(RECONCILE_EXIT.usage);
    expect(typo.output).toContain(`state folder ${missing} does not exist`);
    // Nothing was created for the typo.
    expect(existsSync(missing)).toBe(false);
  }, 60_000);

  it("--init creates an empty state folder; a corrupt table makes the run an error, exit 3", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "reconcile-cli-")), "fresh");
    dirs.push(dir);
    const init = await cli(["--date", RUN_DATE, "--state-dir", dir, "--init"]);
    expect(init.code).toBe(RECONCILE_EXIT.sourceNotReady);
    mkdirSync(warehouseDirOf(dir), { recursive: true });
    appendFileSync(join(warehouseDirOf(dir), "ledger.orders.jsonl"), "{not json\n");
    const broken = await cli(["--date", RUN_DATE, "--state-dir", dir]);
    expect(broken.code).toBe(RECONCILE_EXIT.error);
    expect(broken.output).toMatch(new RegExp(`^${RUN_DATE} error: `, "m"));
  }, 60_000);

  it(`${PROCESSES} concurrent reruns of one date leave exactly one complete result (${REPEATS} time(s))`, async () => {
    const failures: string[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const dir = await stateWithFixtureDay();
      const results = await Promise.all(Array.from({ length: PROCESSES }, () => cli(["--date", RUN_DATE, "--state-dir", dir])));
      const runIds = results.map((r) => /run_id=(\S+)/.exec(r.output)?.[1]);
      const runs = rowsOf(dir, "ops.reconciliation_runs");
      const examples = rowsOf(dir, "ops.reconciliation_discrepancies");
      const ok =
        results.every((r) => r.code === RECONCILE_EXIT.drift) &&
        runs.length === 1 &&
        runs[0].status === "fail" &&
        runIds.includes(String(runs[0].run_id)) &&
        examples.length === 11 &&
        examples.every((e) => e.run_id === runs[0].run_id);
      const failure = `repeat ${i}: exits ${results.map((r) => r.code).join(",")}, runs ${JSON.stringify(runs.map((r) => [r.run_id, r.status]))}, ${examples.length} examples\n${results.find((r) => r.code !== 1)?.output ?? ""}`;
      if (!ok) failures.push(failure);
      if (REPEATS > 1) console.log(`concurrent rerun ${i + 1}/${REPEATS}: ${ok ? "ok" : `FAILED ${failure}`}`);
    }
    expect(failures).toEqual([]);
  }, 120_000 * REPEATS);
});
