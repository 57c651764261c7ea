import { z } from "zod";
import { ENVIRONMENTS } from "../../config";

/** Start-up failed because environment variables are missing or invalid; the message names each one. */
export class EnvConfigError extends Error {
  constructor(readonly variables: { name: string; message: string }[]) {
    super("invalid environment: " + variables.map((v) => `${v.name}: ${v.message}`).join("; "));
    this.name = "EnvConfigError";
  }
}

/**
 * Parses env vars once, at cold start. Schema keys are the variable names, so every issue names the
 * variable to fix; nothing else in a function reads `process.env`.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new EnvConfigError(
    result.error.issues.map((i) => ({
      name: String(i.path[0] ?? "(env)"),
      message: i.code === "invalid_type" && i.input === undefined ? "is required but not set" : i.message,
    })),
  );
}

/** Value rules both functions apply to the variables they share (contracts/function-env.ts FUNCTION_ENV_VARS), stated once. */
export const ENV_VALUE = {
  environment: z.enum(ENVIRONMENTS),
  projectId: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "must be a GCP project id"),
  pipelineVersion: z.string().min(1),
  logLevel: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  topic: z.string().regex(/^(projects\/[^/]+\/topics\/)?[A-Za-z][\w.~+%-]{2,254}$/, "must be a topic name or projects/P/topics/T"),
};

/**
 * A reader of one function's environment: `rules` gives each variable's value rule by its logical
 * name, `names` the variable's name (contracts/function-env.ts); the reader validates every variable
 * at once (EnvConfigError naming each bad one) and returns the values by logical name.
 */
export function envReader<S extends Record<string, z.ZodType>>(names: { readonly [K in keyof S]: string }, rules: S): (env?: NodeJS.ProcessEnv) => { [K in keyof S]: z.output<S[K]> } {
  const keys = Object.keys(rules) as (keyof S & string)[];
  const schema = z.object(Object.fromEntries(keys.map((k) => [names[k], rules[k]])));
  return (env = process.env) => {
    const parsed = parseEnv(schema, env) as Record<string, unknown>;
    return Object.fromEntries(keys.map((k) => [k, parsed[names[k]]])) as { [K in keyof S]: z.output<S[K]> };
  };
}
