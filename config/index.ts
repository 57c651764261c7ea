import { z } from "zod";
import { dev } from "./dev";
import { prod } from "./prod";
import { configSchema, type ConfigInput, type EnvConfig, type Environment } from "./schema";
import { staging } from "./staging";

export * from "./schema";
export * from "./duration";
export * from "./notification-channels";

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const satisfies readonly Environment[];

export const RAW_CONFIGS: Record<Environment, ConfigInput> = { dev, staging, prod };

/** A config that failed validation; the message names the environment and every bad field. */
export class ConfigError extends Error {
  constructor(
    readonly environment: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(
      `invalid config for environment "${environment}":\n` + issues.map((i) => `  - ${i.path || "(root)"}: ${i.message}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

/** Validates a raw config; throws ConfigError naming the environment and fields. */
export function parseConfig(environment: string, raw: unknown): EnvConfig {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      environment,
      result.error.issues.map((i: z.core.$ZodIssue) => ({ path: i.path.map(String).join("."), message: i.message })),
    );
  }
  return result.data;
}

export function loadConfig(environment: Environment): EnvConfig {
  return parseConfig(environment, RAW_CONFIGS[environment]);
}
