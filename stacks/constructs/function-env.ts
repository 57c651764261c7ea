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
  const v = fn === "enrichment" ? ENRICHMENT_ENV_VARS : RECONCILIATION_ENV_VARS;
  // Each function publishes to one topic of its own: dead letters, or reconciliation alerts.
  const topic: Record<string, string> =
    fn === "enrichment" ? { [ENRICHMENT_ENV_VARS.deadLetterTopic]: FUNCTION_TOPICS.dlq } : { [RECONCILIATION_ENV_VARS.alertsTopic]: FUNCTION_TOPICS.alerts };
  return {
    [v.environment]: config.environment,
    [v.projectId]: config.project,
    [v.pipelineVersion]: pipelineVersion,
    ...topic,
  };
}
