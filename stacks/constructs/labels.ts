import type { EnvConfig } from "../../config";

/** Labels every labelable resource carries: the config's labels plus `env`. One place, so a guardrail can rely on it. */
export type ResourceLabels = Readonly<Record<string, string>>;

export function resourceLabels(config: Pick<EnvConfig, "labels" | "environment">): ResourceLabels {
  return { ...config.labels, env: config.environment };
}
