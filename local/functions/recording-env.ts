import { readFileSync } from "node:fs";
import { z } from "zod";
import { parseEnv } from "../../functions/runtime/env-config";
import type { Row } from "../../functions/runtime/warehouse";
import { RecordingWarehouse } from "../warehouse/recording-warehouse";

/**
 * Variables of the recording enrichment entry (tests and the enrichment bench), on top of the deployed
 * function's own: the deployed env schema knows nothing of them.
 */
export const RECORDING_ENV_VARS = {
  /** JSON-lines file the inserted rows are appended to. Default: rows are only counted. */
  file: "STREAMLINE_RECORDING_FILE",
  /** JSON file { "ref.products": [...], ... } answering reference queries. Default: no rows. */
  tables: "STREAMLINE_RECORDING_TABLES",
  /** ms added to each insert call (BigQuery streaming latency). Default 0. */
  insertDelayMs: "STREAMLINE_RECORDING_INSERT_DELAY_MS",
  /** JSON { event_id: failing attempts } of injected transient row failures. Default: none. */
  transientFailures: "STREAMLINE_RECORDING_TRANSIENT_FAILURES",
} as const;

const V = RECORDING_ENV_VARS;

const jsonOf = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "must be valid JSON" });
        return z.NEVER;
      }
    })
    .pipe(schema);

const envSchema = z.object({
  [V.file]: z.string().min(1).optional(),
  [V.tables]: z.string().min(1).optional(),
  [V.insertDelayMs]: z.coerce.number().int().min(0).default(0),
  [V.transientFailures]: jsonOf(z.record(z.string(), z.number().int().min(0))).optional(),
});

/** The recording warehouse the variables describe; throws EnvConfigError naming each bad variable. */
export function recordingWarehouseFromEnv(env: NodeJS.ProcessEnv = process.env): RecordingWarehouse {
  const e = parseEnv(envSchema, env);
  const tablesFile = e[V.tables];
  return new RecordingWarehouse({
    file: e[V.file],
    tables: tablesFile ? (JSON.parse(readFileSync(tablesFile, "utf8")) as Record<string, Row[]>) : {},
    insertDelayMs: e[V.insertDelayMs],
    transientFailures: e[V.transientFailures],
  });
}
