/**
 * Names of the environment variables the deployed functions read at cold start: the stack sets them
 * (stacks/constructs/function-env.ts), each function's env parser validates them
 * (functions/<name>/env.ts), local runs, tests and benches set them by these names. Values the config
 * can say are not here: the functions select config/<env>.ts by STREAMLINE_ENV.
 */

/** Variables both functions read, with the same meaning. */
export const FUNCTION_ENV_VARS = {
  /** dev | staging | prod: selects config/<env>.ts (bundled with the function). */
  environment: "STREAMLINE_ENV",
  /** GCP project holding the datasets and topics (also names the trace in logs). */
  projectId: "STREAMLINE_PROJECT_ID",
  /** Code version written to curated rows, run rows and dead-letter attributes. */
  pipelineVersion: "STREAMLINE_PIPELINE_VERSION",
  /** pino level: debug | info | warn | error | silent. Default info. */
  logLevel: "LOG_LEVEL",
} as const;

/** Every variable the enrichment function reads. */
export const ENRICHMENT_ENV_VARS = {
  ...FUNCTION_ENV_VARS,
  /** Dead-letter topic for poison messages: name or projects/P/topics/NAME. */
  deadLetterTopic: "STREAMLINE_DLQ_TOPIC",
} as const;

/** Every variable the reconciliation function reads. */
export const RECONCILIATION_ENV_VARS = {
  ...FUNCTION_ENV_VARS,
  /** Topic drift alerts are published to: name or projects/P/topics/T. */
  alertsTopic: "STREAMLINE_ALERTS_TOPIC",
} as const;
