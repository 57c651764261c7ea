import { z } from "zod";
import { ENVIRONMENTS } from "../../config";
import { parseEnv } from "../runtime/env-config";

/**
 * Every environment variable the enrichment function reads, in one place: the stack sets them,
 * the local pipeline and tests set them, and start-up fails naming any that is missing or invalid.
 */
export const ENRICHMENT_ENV_VARS = {
  /** dev | staging | prod: selects config/<env>.ts (lateness threshold, flush limits, cache sizes). */
  environment: "STREAMLINE_ENV",
  /** GCP project holding the datasets and topics (also names the trace in logs). */
  projectId: "STREAMLINE_PROJECT_ID",
  /** Dead-letter topic for poison messages: name or projects/P/topics/NAME. */
  deadLetterTopic: "STREAMLINE_DLQ_TOPIC",
  /** Code version written to curated rows and dead-letter attributes. */
  pipelineVersion: "STREAMLINE_PIPELINE_VERSION",
  /** bigquery (default) | recording (tests and benches: rows to a JSON-lines file). */
  warehouse: "STREAMLINE_WAREHOUSE",
  /** recording only: JSON-lines file the inserted rows are appended to. */
  recordingFile: "STREAMLINE_RECORDING_FILE",
  /** recording only: JSON file { "ref.products": [...], ... } answering reference queries. */
  recordingTables: "STREAMLINE_RECORDING_TABLES",
  /** recording only: ms added to each insert call (BigQuery streaming latency). */
  recordingInsertDelayMs: "STREAMLINE_RECORDING_INSERT_DELAY_MS",
  /** recording only: JSON { event_id: failing attempts } of injected transient row failures. */
  recordingTransientFailures: "STREAMLINE_RECORDING_TRANSIENT_FAILURES",
  /** pino level: debug | info | warn | error. Default info. */
  logLevel: "LOG_LEVEL",
} as const;

const V = ENRICHMENT_ENV_VARS;

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
  [V.environment]: z.enum(ENVIRONMENTS),
  [V.projectId]: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "must be a GCP project id"),
  [V.deadLetterTopic]: z.string().regex(/^(projects\/[^/]+\/topics\/)?[A-Za-z][\w.~+%-]{2,254}$/, "must be a topic name or projects/P/topics/T"),
  [V.pipelineVersion]: z.string().min(1),
  [V.warehouse]: z.enum(["bigquery", "recording"]).default("bigquery"),
  [V.recordingFile]: z.string().min(1).optional(),
  [V.recordingTables]: z.string().min(1).optional(),
  [V.recordingInsertDelayMs]: z.coerce.number().int().min(0).default(0),
  [V.recordingTransientFailures]: jsonOf(z.record(z.string(), z.number().int().min(0))).optional(),
  [V.logLevel]: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

export interface EnrichmentEnv {
  environment: (typeof ENVIRONMENTS)[number];
  projectId: string;
  deadLetterTopic: string;
  pipelineVersion: string;
  warehouse: "bigquery" | "recording";
  recordingFile?: string;
  recordingTables?: string;
  recordingInsertDelayMs: number;
  recordingTransientFailures?: Record<string, number>;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
}

/** Reads and validates the function's environment; throws EnvConfigError naming each bad variable. */
export function readEnrichmentEnv(env: NodeJS.ProcessEnv = process.env): EnrichmentEnv {
  const e = parseEnv(envSchema, env);
  return {
    environment: e[V.environment],
    projectId: e[V.projectId],
    deadLetterTopic: e[V.deadLetterTopic],
    pipelineVersion: e[V.pipelineVersion],
    warehouse: e[V.warehouse],
    recordingFile: e[V.recordingFile],
    recordingTables: e[V.recordingTables],
    recordingInsertDelayMs: e[V.recordingInsertDelayMs],
    recordingTransientFailures: e[V.recordingTransientFailures],
    logLevel: e[V.logLevel],
  };
}
