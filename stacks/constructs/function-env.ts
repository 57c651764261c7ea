import type { EnvConfig } from "../../config";
import { ENRICHMENT_ENV_VARS } from "../../functions/enrichment/env";

/**
 * Environment variables the functions read at cold start. The functions select config/<env>.ts by
 * STREAMLINE_ENV (bundled with them), so only what config cannot know travels here: project, the
 * code version, topic names. Enrichment's names are the ones its env parser defines; the
 * reconciliation function reads the names below.
 */
export const RECONCILIATION_ENV_VARS = {
  /** dev | staging | prod: selects config/<env>.ts. */
  environment: ENRICHMENT_ENV_VARS.environment,
  /** GCP project holding the datasets and topics. */
  projectId: ENRICHMENT_ENV_VARS.projectId,
  /** Code version written to run rows. */
  pipelineVersion: ENRICHMENT_ENV_VARS.pipelineVersion,
  /** Topic name drift alerts are published to. */
  alertsTopic: "STREAMLINE_ALERTS_TOPIC",
} as const;

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
