import { closeSync, existsSync, mkdtempSync, openSync, readSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ENRICHMENT_ENV_VARS as V } from "../../contracts/function-env";
import type { RecordedInsert } from "../../local/warehouse/recording-warehouse";
import { RECORDING_ENV_VARS as R } from "../../local/functions/recording-env";
import { startFunctionProcess, type FunctionProcess } from "../../local/processes/function-process";
import { REFERENCE_TABLES } from "../../fixtures/commerce-events";

export interface BenchFunction extends FunctionProcess {
  /** Rows the recording warehouse wrote so far. */
  rows(): RecordedInsert[];
}

/** The enrichment function (bundled recording entry) in its own process, writing to a recording warehouse file. */
export async function startBenchFunction(opts: { module: string; insertDelayMs: number; emulatorHost?: string; projectId: string }): Promise<BenchFunction> {
  const work = mkdtempSync(join(tmpdir(), "enrichment-bench-"));
  const rowsFile = join(work, "rows.jsonl");
  writeFileSync(join(work, "tables.json"), JSON.stringify(REFERENCE_TABLES));
  const fn = await startFunctionProcess({
    module: opts.module,
    target: "enrichment",
    env: {
      ...(opts.emulatorHost ? { PUBSUB_EMULATOR_HOST: opts.emulatorHost } : {}),
      [V.environment]: "dev",
      [V.projectId]: opts.projectId,
      [V.deadLetterTopic]: "commerce-events-dlq",
      [V.pipelineVersion]: "bench",
      [R.file]: rowsFile,
      [R.tables]: join(work, "tables.json"),
      [R.insertDelayMs]: String(opts.insertDelayMs),
      [V.logLevel]: "warn",
    },
  });
  // Reads only what was appended since the last call: polling must not steal CPU from the function.
  const rows: RecordedInsert[] = [];
  let offset = 0;
  let partial = "";
  const readNew = () => {
    if (!existsSync(rowsFile)) return rows;
    const fd = openSync(rowsFile, "r");
    try {
      const buf = Buffer.alloc(1 << 20);
      for (let n; (n = readSync(fd, buf, 0, buf.length, offset)) > 0; offset += n) partial += buf.toString("utf8", 0, n);
    } finally {
      closeSync(fd);
    }
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    for (const l of lines) if (l) rows.push(JSON.parse(l) as RecordedInsert);
    return rows;
  };
  return { ...fn, rows: readNew };
}
