import { loadConfig, type EnvConfig } from "../../config";
import { RECONCILIATION_ENV_VARS } from "../../contracts/function-env";
import { ENV_VALUE, envReader } from "../runtime/env-config";
import type { ReconcileSettings } from "./reconcile";

// Validates the variables named in contracts/function-env.ts (same names as the enrichment function's
// where they mean the same). Thresholds, allowance, deadline, repair, top-K and the schedule's time
// zone come from config/<STREAMLINE_ENV>.ts, bundled with the function, so they have one source.

const readVariables = envReader(RECONCILIATION_ENV_VARS, {
  environment: ENV_VALUE.environment,
  projectId: ENV_VALUE.projectId,
  pipelineVersion: ENV_VALUE.pipelineVersion,
  alertsTopic: ENV_VALUE.topic,
  logLevel: ENV_VALUE.logLevel,
});

export type ReconciliationEnv = ReturnType<typeof readVariables> & { config: EnvConfig };

/** Reads and validates the function's environment; throws EnvConfigError naming each bad variable. */
export function readReconciliationEnv(env: NodeJS.ProcessEnv = process.env): ReconciliationEnv {
  const variables = readVariables(env);
  return { ...variables, config: loadConfig(variables.environment) };
}

/** The run settings an environment's config gives. */
export function settingsFromConfig(config: EnvConfig, codeVersion: string): ReconcileSettings {
  const r = config.reconciliation;
  return {
    environment: config.environment,
    codeVersion,
    timeZone: r.schedule.timeZone,
    thresholds: { ...r.thresholds },
    lateAllowanceHours: r.lateAllowanceHours,
    amountToleranceUsd: r.amountToleranceUsd,
    sourceDeadlineHours: r.sourceDeadlineHours,
    repair: r.repair,
    topK: r.topK,
    shards: r.shards,
    // The recompute canary judges lateness as the enrichment function does.
    parity: { ...r.parity, lateThresholdSeconds: config.enrichment.lateThresholdSeconds },
  };
}
