import { ENRICHMENT_ENV_VARS } from "../../contracts/function-env";
import { ENV_VALUE, envReader } from "../runtime/env-config";

// Validates the variables named in contracts/function-env.ts; start-up fails naming any that is missing or invalid.
/** Reads and validates the function's environment; throws EnvConfigError naming each bad variable. */
export const readEnrichmentEnv = envReader(ENRICHMENT_ENV_VARS, {
  environment: ENV_VALUE.environment,
  projectId: ENV_VALUE.projectId,
  deadLetterTopic: ENV_VALUE.topic,
  pipelineVersion: ENV_VALUE.pipelineVersion,
  logLevel: ENV_VALUE.logLevel,
});

export type EnrichmentEnv = ReturnType<typeof readEnrichmentEnv>;
