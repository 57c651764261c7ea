import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { countInjected, mismatchedKinds } from "../../../bench/reconcile/count-injected";
import { generateDay } from "../../../bench/reconcile/generate-day";
import { loadConfig } from "../../../config";
import { settingsFromConfig } from "../../../functions/reconciliation/env";
import { reconcile } from "../../../functions/reconciliation/reconcile";
import { loadReconciliationSql } from "../../../functions/reconciliation/sql-files";
import { createLogger } from "../../../functions/runtime/logger";
import { loadMarkersFor } from "../../../local/generator/load-markers";
import { LocalWarehouse } from "../../../local/warehouse/local-warehouse";
import { startZetaSql } from "../../../local/zetasql";

const RUN_DATE = "2024-05-02";
const zero = { missing_in_stream: 0, extra_in_stream: 0, duplicate_in_stream: 0, amount_mismatch: 0, late_arrival: 0, explained_by_dlq: 0 };

describe("bench:reconcile's per-kind check", () => {
  it("a per-kind mismatch is one even when the totals agree", () => {
    expect(mismatchedKinds({ ...zero, missing_in_stream: 11, extra_in_stream: 9 }, { ...zero, missing_in_stream: 10, extra_in_stream: 10 })).toEqual(["missing_in_stream", "extra_in_stream"]);
    expect(mismatchedKinds({ ...zero, late_arrival: 3 }, { ...zero, late_arrival: 3 })).toEqual([]);
  });

  it("counts injected drift from the generated rows, and the reconciliation finds exactly that per kind", async () => {
    const settings = { ...settingsFromConfig(loadConfig("dev"), "bench-test"), shards: 1 };
    // Two plants on one order would make the plan and the rows differ: the rows are what counts.
    const day = generateDay({ runDate: RUN_DATE, orders: 300, inject: { missing_in_stream: 4, extra_in_stream: 3, duplicate_in_stream: 5, amount_mismatch: 2, late_arrival: 6 }, lateAllowanceHours: settings.lateAllowanceHours, seed: 7 });
    const injected = countInjected(day.curated, day.ledger, RUN_DATE, settings.amountToleranceUsd);
    expect(injected).toEqual({ ...zero, missing_in_stream: 4, extra_in_stream: 3, duplicate_in_stream: 5, amount_mismatch: 2, late_arrival: 6 });
    // Rows, not the plan: drop one planted duplicate row and the count follows.
    const dupId = day.curated.find((r, i) => day.curated.findIndex((x) => x.order_id === r.order_id) !== i)!.order_id;
    const fewer = day.curated.filter((r, i) => r.order_id !== dupId || day.curated.findIndex((x) => x.order_id === dupId) === i);
    expect(countInjected(fewer, day.ledger, RUN_DATE, settings.amountToleranceUsd).duplicate_in_stream).toBe(4);

    const zs = await startZetaSql();
    const stateDir = mkdtempSync(join(tmpdir(), "bench-count-"));
    try {
      const warehouse = new LocalWarehouse({ stateDir, zetasql: zs });
      await warehouse.insertRows("curated.commerce_events", day.curated);
      await warehouse.insertRows("ledger.orders", day.ledger);
      await warehouse.insertRows("ledger.load_markers", loadMarkersFor(day.ledger as { order_date: string }[], "2024-05-03T09:00:00Z", "t"));
      const outcome = await reconcile({ warehouse, alerts: { publish: async () => undefined }, logger: createLogger({ level: "silent" }), sql: loadReconciliationSql() }, settings, RUN_DATE);
      if (outcome.outcome !== "completed") throw new Error(outcome.outcome);
      const found = Object.fromEntries(Object.keys(zero).map((k) => [k, Number(outcome.run[k as keyof typeof zero] ?? 0)])) as typeof zero;
      expect(mismatchedKinds(found, injected)).toEqual([]);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
      await zs.close();
    }
  }, 120_000);
});
