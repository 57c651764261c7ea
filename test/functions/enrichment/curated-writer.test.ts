import { processMessage, type Enriched } from "../../../functions/enrichment/core";
import { CuratedWriter } from "../../../functions/enrichment/curated-writer";
import { createLogger } from "../../../functions/runtime/logger";
import { RecordingWarehouse } from "../../../local/warehouse/recording-warehouse";
import { REFERENCE, orderPlaced, wireBytes } from "../../../fixtures/commerce-events";

// The note spread over attribute values of at most 200 characters (the contract caps each value).
const noteAttributes = (note: string) => Object.fromEntries((note.match(/.{1,200}/gu) ?? []).map((part, i) => [`note_${i}`, part]));

const enriched = (id: string, note: string): Enriched => {
  const v = processMessage(wireBytes({ ...orderPlaced({ event_id: id }), attributes: noteAttributes(note) }), REFERENCE, Date.parse("2026-03-01T08:00:00Z"), {
    lateThresholdSeconds: 3600,
    pipelineVersion: "t",
  });
  if (v.kind !== "ok") throw new Error(JSON.stringify(v));
  return v;
};

describe("CuratedWriter batches by insertAll request bytes", () => {
  it("counts UTF-8 bytes, not UTF-16 code units: multi-byte rows split into more flushes than ASCII rows of the same length", async () => {
    // Room for a little over two rows with a 600-character ASCII note per flush.
    const budget = Math.round(Buffer.byteLength(JSON.stringify(enriched("probe", "x".repeat(600)).row)) * 2.5);
    const flushesFor = async (note: string) => {
      const warehouse = new RecordingWarehouse({ insertDelayMs: 20 });
      const writer = new CuratedWriter({ warehouse, flushMaxRows: 100, flushMaxBytes: budget, flushConcurrency: 1, logger: createLogger({ level: "silent" }) });
      const first = writer.write(enriched("e-0", note)); // in flight: the next six wait for it
      await new Promise((r) => setImmediate(r));
      await Promise.all([first, ...Array.from({ length: 6 }, (_, i) => writer.write(enriched(`e-${i + 1}`, note)))]);
      return warehouse.insertCalls;
    };
    const ascii = await flushesFor("x".repeat(600));
    const euro = await flushesFor("€".repeat(600)); // same .length, three bytes each in UTF-8
    expect(ascii).toBe(4); // 1, then 2 + 2 + 2
    expect(euro).toBe(7); // one row per flush: each is over the byte budget alone
  });
});
