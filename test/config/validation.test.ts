import { ConfigError, ENVIRONMENTS, RAW_CONFIGS, durationSeconds, loadConfig, parseConfig, type ConfigInput } from "../../config";

function withPatch(env: "dev" | "staging" | "prod", patch: (c: ConfigInput) => unknown): unknown {
  const copy = structuredClone(RAW_CONFIGS[env]) as ConfigInput;
  return patch(copy) ?? copy;
}

function errorOf(env: string, raw: unknown): ConfigError {
  try {
    parseConfig(env, raw);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("expected the config to be rejected");
}

describe("shipped configs", () => {
  test.each(ENVIRONMENTS)("%s is valid", (env) => {
    expect(loadConfig(env).environment).toBe(env);
  });

  test("prod keeps events longer than dev", () => {
    const retention = (env: "dev" | "prod") => durationSeconds(loadConfig(env).pubsub.topics["commerce-events"].messageRetention);
    expect(retention("prod")).toBeGreaterThan(retention("dev"));
  });

  test("only dev subscriptions may expire; prod has deletion protection", () => {
    for (const sub of Object.values(loadConfig("staging").pubsub.subscriptions)) expect(sub.expirationTtl).toBeNull();
    for (const sub of Object.values(loadConfig("prod").pubsub.subscriptions)) expect(sub.expirationTtl).toBeNull();
    expect(loadConfig("prod").deletionProtection).toBe(true);
    expect(loadConfig("dev").deletionProtection).toBe(false);
  });
});

describe("invalid config names the environment and the field", () => {
  test.each<[string, "dev" | "staging" | "prod", (c: ConfigInput) => unknown, string]>([
    ['a retention of "7 days"', "dev", (c) => void (c.pubsub.topics["commerce-events"].messageRetention = "7 days"), "pubsub.topics.commerce-events.messageRetention"],
    ["a retention over 31 days", "prod", (c) => void (c.pubsub.topics["commerce-events-dlq"].messageRetention = "2678401s"), "pubsub.topics.commerce-events-dlq.messageRetention"],
    ["a retention under 10 minutes", "dev", (c) => void (c.pubsub.topics["reconcile-requests"].messageRetention = "599s"), "pubsub.topics.reconcile-requests.messageRetention"],
    ["a missing project", "staging", (c) => (({ project: _p, ...rest }) => rest)(c), "project"],
    ["maxDeliveryAttempts below 5", "dev", (c) => void (c.pubsub.subscriptions.enrichment.maxDeliveryAttempts = 4), "pubsub.subscriptions.enrichment.maxDeliveryAttempts"],
    ["maxDeliveryAttempts above 100", "dev", (c) => void (c.pubsub.subscriptions.enrichment.maxDeliveryAttempts = 101), "pubsub.subscriptions.enrichment.maxDeliveryAttempts"],
    ["an ack deadline over 600 s", "dev", (c) => void (c.pubsub.subscriptions["raw-mirror"].ackDeadlineSeconds = 601), "pubsub.subscriptions.raw-mirror.ackDeadlineSeconds"],
    ["a push ack deadline shorter than the function timeout", "prod", (c) => void (c.functions.enrichment.timeoutSeconds = 120), "pubsub.subscriptions.enrichment.ackDeadlineSeconds"],
    ["an expiring subscription in prod", "prod", (c) => void (c.pubsub.subscriptions.enrichment.expirationTtl = "2678400s"), "pubsub.subscriptions.enrichment.expirationTtl"],
    ["a retry minimum over its maximum", "dev", (c) => void (c.pubsub.subscriptions.enrichment.retryBackoff = { minimum: "600s", maximum: "10s" }), "pubsub.subscriptions.enrichment.retryBackoff.minimum"],
    ["an unknown time zone", "dev", (c) => void (c.reconciliation.schedule.timeZone = "Mars/Olympus"), "reconciliation.schedule.timeZone"],
    ["labels without cost_center", "dev", (c) => void (c.labels = { team: "data-platform" }), "labels"],
    ["a misspelt key", "dev", (c) => ({ ...c, deletionProtecton: true }), "(root)"],
    ["reconciliation retries that give up before the source deadline", "dev", (c) => void (c.pubsub.subscriptions.reconciliation.maxDeliveryAttempts = 5), "pubsub.subscriptions.reconciliation.maxDeliveryAttempts"],
    ["CMEK required without a key", "prod", (c) => void (c.cmek = { required: true }), "cmek"],
    ["no flush slot", "dev", (c) => void (c.enrichment.flushConcurrency = 0), "enrichment.flushConcurrency"],
    ["more flush slots than requests in flight", "prod", (c) => void (c.enrichment.flushConcurrency = c.functions.enrichment.concurrency + 1), "enrichment.flushConcurrency"],
  ])("%s", (_what, env, patch, field) => {
    const err = errorOf(env, withPatch(env, patch));
    expect(err.environment).toBe(env);
    expect(err.message).toContain(`environment "${env}"`);
    expect(err.issues.map((i) => i.path || "(root)")).toContain(field);
  });
});
