import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ENRICHMENT_ENV_VARS as V } from "../../../contracts/function-env";
import { readEnrichmentEnv } from "../../../functions/enrichment/env";
import { EnvConfigError } from "../../../functions/runtime/env-config";
import { RECORDING_ENV_VARS as R, recordingWarehouseFromEnv } from "../../../local/functions/recording-env";

let work: string;
beforeAll(() => (work = mkdtempSync(join(tmpdir(), "recording-env-"))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("recording entry env (tests and benches only)", () => {
  it("is not part of the deployed enrichment env", () => {
    const deployedNames = Object.values(V) as string[];
    for (const name of Object.values(R)) expect(deployedNames).not.toContain(name);
    expect(Object.keys(readEnrichmentEnv({ [V.environment]: "dev", [V.projectId]: "streamline-dev", [V.deadLetterTopic]: "dlq", [V.pipelineVersion]: "1", [R.insertDelayMs]: "5" }))).not.toContain("warehouse");
  });

  it("builds a recording warehouse that appends rows, answers seeded tables and fails injected rows", async () => {
    const tables = join(work, "tables.json");
    const file = join(work, "rows.jsonl");
    writeFileSync(tables, JSON.stringify({ "ref.products": [{ sku: "A" }] }));
    const warehouse = recordingWarehouseFromEnv({ [R.file]: file, [R.tables]: tables, [R.insertDelayMs]: "1", [R.transientFailures]: JSON.stringify({ "evt-2": 1 }) });
    expect((await warehouse.query("SELECT * FROM `p.ref.products`")).rows).toEqual([{ sku: "A" }]);
    const result = await warehouse.insertRows("curated.commerce_events", [{ n: 1 }, { n: 2 }], { insertIds: ["evt-1", "evt-2"] });
    expect(result.inserted).toBe(1);
    expect(result.failed).toEqual([expect.objectContaining({ index: 1, retryable: true })]);
    expect(readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { insertId: string })).toEqual([expect.objectContaining({ insertId: "evt-1" })]);
  });

  it("fails naming each invalid variable", () => {
    let err: unknown;
    try {
      recordingWarehouseFromEnv({ [R.insertDelayMs]: "-1", [R.transientFailures]: "{oops" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EnvConfigError);
    expect((err as EnvConfigError).variables.map((v) => v.name).sort()).toEqual([R.insertDelayMs, R.transientFailures].sort());
  });
});
