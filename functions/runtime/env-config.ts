import { z } from "zod";

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
