import { z } from "zod";
import { ENVIRONMENTS, loadConfig, type EnvConfig } from "../../config";
import { RECONCILIATION_ENV_VARS } from "../../contracts/function-env";
import { parseEnv } from "../runtime/env-config";
import type { ReconcileSettings } from "./reconcile";

// Validates the variables named in contracts/function-env.ts (same names as the enrichment function's
// where they mean the same). Thresholds, allowance, deadline, repair, top-K and the schedule's time
// zone come from config/<STREAMLINE_ENV>.ts, bundled with the function, so they have one source.
const V = RECONCILIATION_ENV_VARS;

const envSchema = z.object({
  [V.environment]: z.enum(ENVIRONMENTS),
  [V.projectId]: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "must be a GCP project id"),
  [V.pipelineVersion]: z.string().min(1),
  [V.alertsTopic]: z.string().regex(/^(projects\/[^/]+\/topics\/)?[A-Za-z][\w.~+%-]{2,254}$/, "must be a topic name or projects/P/topics/T"),
  [V.logLevel]: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

export interface ReconciliationEnv {
  config: EnvConfig;
  projectId: string;
  pipelineVersion: string;
  alertsTopic: string;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
}

/** Reads and validates the function's environment; throws EnvConfigError naming each bad variable. */
export function readReconciliationEnv(env: NodeJS.ProcessEnv = process.env): ReconciliationEnv {
  const e = parseEnv(envSchema, env);
  return {
    config: loadConfig(e[V.environment]),
    projectId: e[V.projectId],
    pipelineVersion: e[V.pipelineVersion],
    alertsTopic: e[V.alertsTopic],
    logLevel: e[V.logLevel],
  };
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
