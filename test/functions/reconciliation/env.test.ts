import { RECONCILIATION_ENV_VARS } from "../../../contracts/function-env";
import { loadConfig, parseConfig, RAW_CONFIGS, type ConfigInput } from "../../../config";
import { readReconciliationEnv, settingsFromConfig } from "../../../functions/reconciliation/env";
import { fromCloudEvent, fromHttp, BadRunRequestError } from "../../../functions/reconciliation/trigger";
import { EnvConfigError } from "../../../functions/runtime/env-config";

const V = RECONCILIATION_ENV_VARS;
const env = { [V.environment]: "prod", [V.projectId]: "streamline-prod", [V.pipelineVersion]: "v1", [V.alertsTopic]: "reconciliation-alerts" };

describe("readReconciliationEnv", () => {
  it("takes thresholds and the schedule's zone from the environment's config", () => {
    const e = readReconciliationEnv(env);
    expect(settingsFromConfig(e.config, e.pipelineVersion)).toEqual({
      environment: "prod",
      codeVersion: "v1",
      timeZone: "Europe/Amsterdam",
      thresholds: { countDriftRatio: 0.005, revenueDriftRatio: 0.005 },
      lateAllowanceHours: loadConfig("prod").reconciliation.lateAllowanceHours,
      amountToleranceUsd: 0.005,
      sourceDeadlineHours: loadConfig("prod").reconciliation.sourceDeadlineHours,
      repair: false,
      topK: loadConfig("prod").reconciliation.topK,
      // Every shipped environment reconciles in one pass; only local runs shard.
      shards: 1,
      // Any event acked without being written alerts.
      parity: { lostInEnrichmentMax: 0, mismatchMax: 0, recomputeSampleSize: 200, lateThresholdSeconds: 3600 },
    });
  });

  it("fails start-up naming each missing or invalid variable", () => {
    const { STREAMLINE_ALERTS_TOPIC: _, ...missing } = env;
    expect(() => readReconciliationEnv({ ...missing, STREAMLINE_ENV: "qa" })).toThrow(EnvConfigError);
    expect(() => readReconciliationEnv({ ...missing, STREAMLINE_ENV: "qa" })).toThrow(/STREAMLINE_ENV: .*STREAMLINE_ALERTS_TOPIC: is required but not set|STREAMLINE_ALERTS_TOPIC: is required but not set.*STREAMLINE_ENV/);
  });
});

describe("triggers", () => {
  const data = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64");

  it("reads run_date and publish time from a push envelope, a CloudEvent and a manual call", () => {
    const at = new Date("2024-05-03T12:00:00Z");
    expect(fromHttp({ message: { data: data({ run_date: "previous_day" }), messageId: "1", publishTime: "2024-05-03T00:30:00Z" } }, {}, at)).toEqual({
      requested: "previous_day",
      requestedAt: new Date("2024-05-03T00:30:00Z"),
      via: "push",
      messageId: "1",
    });
    expect(fromCloudEvent({ data: { message: { data: data({ run_date: "2024-05-02" }), messageId: "2", publishTime: "2024-05-03T00:30:00Z" } } }, at)).toEqual({
      requested: "2024-05-02",
      requestedAt: new Date("2024-05-03T00:30:00Z"),
      via: "cloudevent",
      messageId: "2",
    });
    expect(fromHttp({ run_date: "2024-05-01" }, {}, at)).toEqual({ requested: "2024-05-01", requestedAt: at, via: "http" });
    expect(fromHttp(undefined, { run_date: "2024-05-01" }, at)).toEqual({ requested: "2024-05-01", requestedAt: at, via: "http" });
  });

  it("rejects payloads that carry no run_date", () => {
    const at = new Date();
    expect(() => fromHttp({ message: { data: Buffer.from("not json").toString("base64"), messageId: "1" } }, {}, at)).toThrow(BadRunRequestError);
    expect(() => fromHttp({ message: { data: data({ date: "2024-05-01" }), messageId: "1" } }, {}, at)).toThrow(/no run_date/);
    expect(() => fromCloudEvent({ data: {} }, at)).toThrow(BadRunRequestError);
  });
});

describe("reconciliation.amountToleranceUsd in config", () => {
  const withTolerance = (v: unknown) => {
    const raw = structuredClone(RAW_CONFIGS.dev) as ConfigInput;
    (raw.reconciliation as { amountToleranceUsd: unknown }).amountToleranceUsd = v;
    return raw;
  };
  it("reaches the run settings", () => {
    expect(settingsFromConfig(parseConfig("dev", withTolerance(0.01)), "v").amountToleranceUsd).toBe(0.01);
  });
  it.each([
    [-0.01, "amountToleranceUsd must be >= 0"],
    [2, "amountToleranceUsd must be at most 1 USD"],
    [1e-10, "at most 9 decimal places"],
    ["0.01", "reconciliation.amountToleranceUsd"],
  ])("rejects %j, naming the field", (v, message) => {
    expect(() => parseConfig("dev", withTolerance(v))).toThrow(message);
  });
});
