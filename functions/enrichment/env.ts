import { z } from "zod";
import { ENVIRONMENTS } from "../../config";
import { ENRICHMENT_ENV_VARS } from "../../contracts/function-env";
import { parseEnv } from "../runtime/env-config";

// Validates the variables named in contracts/function-env.ts; start-up fails naming any that is missing or invalid.
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
