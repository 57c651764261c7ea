import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FaultySinkWarehouse, parseSinkFaults, sinkFaultAt, sinkFaultPlanFile, type SinkFaultPhase } from "../../../local/faults/sink-faults";
import { TransientWarehouseError, type InsertResult, type Row, type Warehouse } from "../../../functions/runtime/warehouse";

const plan: SinkFaultPhase[] = [
  { kind: "errors", fromMs: 1000, toMs: 2000, share: 0.2 },
  { kind: "outage", fromMs: 3000, toMs: 4000 },
  { kind: "slow", fromMs: 5000, toMs: 6000, delayMs: 2000 },
];

test("each phase applies from its start (inclusive) to its end (exclusive)", () => {
  expect(sinkFaultAt(plan, 999, 0)).toEqual({ delayMs: 0 });
  expect(sinkFaultAt(plan, 1000, 0.19)).toEqual({ fail: "errors", delayMs: 0 });
  expect(sinkFaultAt(plan, 1000, 0.2)).toEqual({ delayMs: 0 });
  expect(sinkFaultAt(plan, 2000, 0)).toEqual({ delayMs: 0 });
  expect(sinkFaultAt(plan, 3500, 0.99)).toEqual({ fail: "outage", delayMs: 0 });
  expect(sinkFaultAt(plan, 5999, 0)).toEqual({ delayMs: 2000 });
});

test("a malformed plan is refused with the offending phase", () => {
  expect(() => parseSinkFaults('{"kind":"outage"}')).toThrow(/JSON array/);
  expect(() => parseSinkFaults('[{"kind":"errors","fromMs":0,"toMs":1,"share":2}]')).toThrow(/invalid fault phase .*"share":2/);
  expect(() => parseSinkFaults('[{"kind":"meteor","fromMs":0,"toMs":1}]')).toThrow(/invalid fault phase/);
});

describe("FaultySinkWarehouse", () => {
  const written: Row[] = [];
  const inner: Warehouse = {
    insertRows: async (_table, rows): Promise<InsertResult> => {
      written.push(...rows);
      return { inserted: rows.length, failed: [] };
    },
    query: async <T extends Row = Row>() => ({ rows: [{ passed: true } as Row as T] }),
  };

  test("a failing call throws a transient error, reports it and writes nothing; outside the phases rows pass through", async () => {
    let now = 3500;
    const reported: unknown[] = [];
    const w = new FaultySinkWarehouse(inner, () => plan, (f) => reported.push(f), () => 0.5, () => now);
    await expect(w.insertRows("curated.commerce_events", [{ a: 1 }])).rejects.toBeInstanceOf(TransientWarehouseError);
    expect(reported).toEqual([{ kind: "outage", table: "curated.commerce_events", rows: 1 }]);
    expect(written).toEqual([]);
    now = 4000;
    await expect(w.insertRows("curated.commerce_events", [{ a: 2 }])).resolves.toEqual({ inserted: 1, failed: [] });
    expect(written).toEqual([{ a: 2 }]);
    // Queries (reference data) are not the sink: never faulted.
    now = 3500;
    await expect(w.query("SELECT 1")).resolves.toEqual({ rows: [{ passed: true }] });
  });

  test("in a slow phase the insert call takes the delay longer", async () => {
    const w = new FaultySinkWarehouse(inner, () => [{ kind: "slow", fromMs: 0, toMs: Number.MAX_SAFE_INTEGER, delayMs: 200 }], () => undefined);
    const t = Date.now();
    await w.insertRows("curated.commerce_events", [{ a: 3 }]);
    expect(Date.now() - t).toBeGreaterThanOrEqual(190);
  });
});

test("the plan file is optional until written and re-read when it changes", () => {
  const dir = mkdtempSync(join(tmpdir(), "sink-faults-"));
  try {
    const file = join(dir, "plan.json");
    const phases = sinkFaultPlanFile(file);
    expect(phases()).toEqual([]);
    writeFileSync(file, JSON.stringify(plan.slice(0, 1)));
    expect(phases()).toEqual(plan.slice(0, 1));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
