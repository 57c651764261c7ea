import { ENRICHMENT_ENV_VARS as V } from "../../../contracts/function-env";
import { readEnrichmentEnv } from "../../../functions/enrichment/env";
import { EnvConfigError } from "../../../functions/runtime/env-config";

const VALID = {
  [V.environment]: "dev",
  [V.projectId]: "streamline-dev",
  [V.deadLetterTopic]: "commerce-events-dlq",
  [V.pipelineVersion]: "0.1.0",
};

describe("enrichment env", () => {
  it("parses a valid environment with defaults", () => {
    expect(readEnrichmentEnv(VALID)).toEqual({ environment: "dev", projectId: "streamline-dev", deadLetterTopic: "commerce-events-dlq", pipelineVersion: "0.1.0", logLevel: "info" });
  });

  it("fails start-up naming each missing or invalid variable", () => {
    const env = { ...VALID, [V.environment]: "qa", [V.logLevel]: "loud" } as Record<string, string>;
    delete env[V.projectId];
    let err: unknown;
    try {
      readEnrichmentEnv(env);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EnvConfigError);
    const names = (err as EnvConfigError).variables.map((v) => v.name).sort();
    expect(names).toEqual([V.environment, V.projectId, V.logLevel].sort());
    expect((err as Error).message).toContain(`${V.projectId}: is required but not set`);
  });
});
