import type { EnvConfig } from "../../config";
import { ENRICHMENT_ENV_VARS, RECONCILIATION_ENV_VARS } from "../../contracts/function-env";

/**
 * Environment variables the functions read at cold start. The functions select config/<env>.ts by
 * STREAMLINE_ENV (bundled with them), so only what config cannot say travels here: the project, the
 * code version and topic names. The names come from contracts/function-env.ts, which each function's env parser reads too.
 */
export type FunctionName = "enrichment" | "reconciliation";

/** Names of the topics the functions publish to. */
export const FUNCTION_TOPICS = { dlq: "commerce-events-dlq", alerts: "reconciliation-alerts" } as const;

/** The environment variables of one function, built from the validated config. */
export function functionEnvironment(fn: FunctionName, config: EnvConfig, pipelineVersion: string): Record<string, string> {
  if (fn === "enrichment") {
    const v = ENRICHMENT_ENV_VARS;
    return {
      [v.environment]: config.environment,
      [v.projectId]: config.project,
      [v.pipelineVersion]: pipelineVersion,
      [v.deadLetterTopic]: FUNCTION_TOPICS.dlq,
    };
  }
  const v = RECONCILIATION_ENV_VARS;
  return {
    [v.environment]: config.environment,
    [v.projectId]: config.project,
    [v.pipelineVersion]: pipelineVersion,
    [v.alertsTopic]: FUNCTION_TOPICS.alerts,
  };
}
