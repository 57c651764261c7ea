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
  /** pino level: debug | info | warn | error. Default info. */
  logLevel: "LOG_LEVEL",
} as const;

const V = ENRICHMENT_ENV_VARS;

const envSchema = z.object({
  [V.environment]: z.enum(ENVIRONMENTS),
  [V.projectId]: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "must be a GCP project id"),
  [V.deadLetterTopic]: z.string().regex(/^(projects\/[^/]+\/topics\/)?[A-Za-z][\w.~+%-]{2,254}$/, "must be a topic name or projects/P/topics/T"),
  [V.pipelineVersion]: z.string().min(1),
  [V.logLevel]: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

export interface EnrichmentEnv {
  environment: (typeof ENVIRONMENTS)[number];
  projectId: string;
  deadLetterTopic: string;
  pipelineVersion: string;
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
    logLevel: e[V.logLevel],
  };
}
