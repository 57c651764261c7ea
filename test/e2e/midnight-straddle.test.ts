/**
 * The local scenario at a start time that straddles the stores' local midnight, with every clock
 * pinned: the generated day is streamed through the enrichment function's pure core (ingest a few
 * seconds after each planned publish, transport duplicates dropped by event_id, poison dead-lettered
 * with its reason), then the nightly reconciliation runs on the local warehouse. It must find exactly
 * the drift the generator planned, late_arrival included, whatever the time of day.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CuratedRow, DeadLetterRow } from "../../contracts";
import { loadConfig } from "../../config";
import { processMessage } from "../../functions/enrichment/core";
import { loadReferenceData, loadReferenceQueries } from "../../functions/enrichment/reference-cache";
import { settingsFromConfig } from "../../functions/reconciliation/env";
import { reconcile } from "../../functions/reconciliation/reconcile";
import { loadReconciliationSql } from "../../functions/reconciliation/sql-files";
import { createLogger } from "../../functions/runtime/logger";
import type { Row } from "../../functions/runtime/warehouse";
import { generateCommerceDay } from "../../local/generator/commerce-day";
import { loadMarkersFor } from "../../local/generator/load-markers";
import { SeededRandom } from "../../local/generator/random";
import { LocalWarehouse } from "../../local/warehouse/local-warehouse";
import { startZetaSql, type ZetaSqlSession } from "../../local/zetasql";

let zs: ZetaSqlSession;
beforeAll(async () => {
  zs = await startZetaSql();
});
afterAll(async () => {
  await zs?.close();
});

async function streamAndReconcile(startIso: string, seed: number) {
  // 2,000 messages at 1/s: about 33 minutes of planned publishing from startIso.
  const day = generateCommerceDay({ seed, events: 2000, ratePerSecond: 1, startMs: Date.parse(startIso), lateShare: 0.05 });
  const stateDir = mkdtempSync(join(tmpdir(), "midnight-"));
  try {
    const warehouse = new LocalWarehouse({ stateDir, zetasql: zs });
    const load = async (table: Parameters<LocalWarehouse["insertRows"]>[0], rows: Row[]) => expect((await warehouse.insertRows(table, rows)).failed).toEqual([]);
    await load("ref.products", day.reference.products.map(({ price_eur: _p, ...r }) => r));
    await load("ref.stores", day.reference.stores);
    await load("ref.fx_rates", day.reference.fxRates);
    await load("ledger.orders", day.ledger);
    await load("ledger.load_markers", loadMarkersFor(day.ledger, startIso, "straddle"));
    const ref = await loadReferenceData(warehouse, loadReferenceQueries(), day.startMs);

    const delay = new SeededRandom(seed);
    const seen = new Set<string>();
    const curated: CuratedRow[] = [];
    const deadLetters: DeadLetterRow[] = [];
    for (const [i, m] of day.messages.entries()) {
      const publishMs = day.startMs + m.atMs;
      // Ingested 0.05-30 s after publish: a loaded local pipeline, well inside the generator's guard.
      const verdict = processMessage(Buffer.from(m.data), ref, publishMs + delay.int(50, 30_000), { lateThresholdSeconds: 3600, pipelineVersion: "straddle" });
      if (verdict.kind === "ok") {
        if (!seen.has(verdict.eventId)) curated.push(verdict.row);
        seen.add(verdict.eventId);
      } else {
        deadLetters.push({
          message_id: `m-${i}`,
          publish_time: new Date(publishMs).toISOString(),
          data: Buffer.from(m.data).toString("base64"),
          attributes: JSON.stringify({ reason: verdict.reason }),
          payload_string: m.data,
          reason: verdict.reason,
        } as DeadLetterRow);
      }
    }
    await load("curated.commerce_events", curated as unknown as Row[]);
    await load("ops.dead_letters", deadLetters as unknown as Row[]);

    const settings = { ...settingsFromConfig(loadConfig("dev"), "straddle"), shards: 2 };
    const outcome = await reconcile(
      { warehouse, alerts: { publish: async () => undefined }, logger: createLogger({ level: "silent" }), sql: loadReconciliationSql(), now: () => new Date(day.startMs + 30 * 3_600_000) },
      settings,
      day.runDate,
    );
    if (outcome.outcome !== "completed") throw new Error(`reconciliation ${outcome.outcome}`);
    const found = Object.fromEntries(Object.keys(day.expectedDiscrepancies).map((k) => [k, Number(outcome.run[k as keyof typeof outcome.run] ?? 0)]));
    return { expected: day.expectedDiscrepancies, found, runDate: day.runDate };
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

describe("the local scenario at a start time straddling local midnight", () => {
  // Midnight in Amsterdam, Brussels, Berlin, Paris and Stockholm is 23:00Z: the day closes 28 minutes
  // in, with 5 minutes of streaming left (the issue saw 18 unplanned late_arrival orders at 22:00Z).
  it.each([["2026-03-10T22:32:00Z", 11]])("starting %s, the reconciliation finds exactly the planned drift per kind, late_arrival included", async (startIso, seed) => {
    const { expected, found, runDate } = await streamAndReconcile(startIso, seed);
    expect(runDate).toBe("2026-03-10");
    expect(found).toEqual(expected);
    // Late events of the closing day arrive after its close: the case that used to be unplanned.
    expect(expected.late_arrival).toBeGreaterThan(0);
  }, 120_000);
});
