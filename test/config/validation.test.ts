import { ConfigError, ENVIRONMENTS, RAW_CONFIGS, durationSeconds, loadConfig, parseConfig, type ConfigInput } from "../../config";
import { basePartitionExpirationDays } from "../../config/base";
import { tableId } from "../../contracts/table";
import { TABLES } from "../../contracts/tables";

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

test("parity canary settings an environment leaves out take the defaults; one it sets is kept", () => {
  expect(loadConfig("prod").reconciliation.parity).toEqual({ lostInEnrichmentMax: 0, mismatchMax: 0, recomputeSampleSize: 200 });
  const patched = parseConfig("dev", withPatch("dev", (c) => void (c.reconciliation.parity = { recomputeSampleSize: 50 })));
  expect(patched.reconciliation.parity).toEqual({ lostInEnrichmentMax: 0, mismatchMax: 0, recomputeSampleSize: 50 });
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
    ["an empty recompute parity sample", "dev", (c) => void (c.reconciliation.parity = { recomputeSampleSize: 0 }), "reconciliation.parity.recomputeSampleSize"],
    ["a recompute parity sample over the cap", "prod", (c) => void (c.reconciliation.parity = { recomputeSampleSize: 10_001 }), "reconciliation.parity.recomputeSampleSize"],
    ["a negative parity mismatch threshold", "staging", (c) => void (c.reconciliation.parity = { mismatchMax: -1 }), "reconciliation.parity.mismatchMax"],
    ["a fractional lost-in-enrichment threshold", "dev", (c) => void (c.reconciliation.parity = { lostInEnrichmentMax: 0.5 }), "reconciliation.parity.lostInEnrichmentMax"],
  ])("%s", (_what, env, patch, field) => {
    const err = errorOf(env, withPatch(env, patch));
    expect(err.environment).toBe(env);
    expect(err.message).toContain(`environment "${env}"`);
    expect(err.issues.map((i) => i.path || "(root)")).toContain(field);
  });
});

describe("no placeholder or secret value in config", () => {
  const channels = (c: ConfigInput) => c.monitoring.notificationChannels;
  test.each<[string, "dev" | "staging" | "prod", (c: ConfigInput) => unknown, string, RegExp]>([
    ["a REPLACE_WITH_... address in prod", "prod", (c) => void (channels(c)[1].labels = { email_address: "REPLACE_WITH_ONCALL_ADDRESS" }), "monitoring.notificationChannels.1.labels.email_address", /placeholder \("REPLACE_WITH_ONCALL_ADDRESS"\)/],
    ["the old prod service key REPLACE_WITH_SECRET_REF", "prod", (c) => void (channels(c)[0].labels = { service_key: "REPLACE_WITH_SECRET_REF" }), "monitoring.notificationChannels.0.labels.service_key", /credential: give \{ secret:/],
    ["an example.com address in staging", "staging", (c) => void (channels(c)[0].labels = { email_address: "ops@example.com" }), "monitoring.notificationChannels.0.labels.email_address", /placeholder \("ops@example\.com"\)/],
    ["an example.org address in prod", "prod", (c) => void (channels(c)[1].labels = { email_address: "ops@EXAMPLE.org" }), "monitoring.notificationChannels.1.labels.email_address", /placeholder/],
    ["a TODO project in prod", "prod", (c) => void (c.project = "todo-prod-1"), "project", /placeholder \("todo-prod-1"\)/],
    ["a changeme state bucket in staging", "staging", (c) => void (c.stateBucket = "changeme-tfstate"), "stateBucket", /placeholder/],
    ["a service key written as a literal, even in dev", "dev", (c) => void (c.monitoring.notificationChannels = [{ id: "dev-pager", type: "pagerduty", displayName: "p", labels: { service_key: "0123abcd" } }]), "monitoring.notificationChannels.0.labels.service_key", /credential: give \{ secret:/],
    ["a pagerduty channel without a service key", "prod", (c) => void (channels(c)[0].labels = {}), "monitoring.notificationChannels.0.labels", /needs labels\.service_key/],
    ["a secret id with a slash", "prod", (c) => void (channels(c)[0].labels = { service_key: { secret: "projects/p/secrets/k" } }), "monitoring.notificationChannels.0.labels.service_key.secret", /Secret Manager secret id/],
  ])("%s is rejected naming the field", (_what, env, patch, field, message) => {
    const err = errorOf(env, withPatch(env, patch));
    const issue = err.issues.find((i) => i.path === field);
    expect(issue?.message).toMatch(message);
  });

  test("dev may keep a test address (placeholders are refused in staging and prod only)", () => {
    const devChannels = loadConfig("dev").monitoring.notificationChannels;
    expect(JSON.stringify(devChannels)).toContain("example.com");
  });

  test("a word that merely contains a placeholder's letters is not one", () => {
    for (const team of ["replacements", "photodocs", "stbd-ops"]) expect(() => parseConfig("prod", withPatch("prod", (c) => void (c.labels = { ...c.labels, team })))).not.toThrow();
    expect(() => parseConfig("prod", withPatch("prod", (c) => void (c.labels = { ...c.labels, team: "team_tbd" })))).toThrow(/labels\.team: looks like a placeholder/);
  });
});

describe("per-table settings are keyed by the contracts' table ids", () => {
  const partitioned = TABLES.filter((t) => t.partition !== null).map(tableId);

  test("a misspelt table key is an error naming it (it used to keep the base value silently)", () => {
    const err = errorOf("prod", withPatch("prod", (c) => void (c.bigquery.partitionExpirationDays = { "raw.commerce_events": 90, "ops.dead_letter": 180 })));
    const issue = err.issues.find((i) => i.path === "bigquery.partitionExpirationDays");
    expect(issue?.message).toMatch(/^unknown table "ops\.dead_letter" in partitionExpirationDays: the tables are .*ops\.dead_letters/);
  });

  test("a table left out takes the base value (it used to crash synth with a stack trace)", () => {
    const parsed = parseConfig("prod", withPatch("prod", (c) => void (c.bigquery.partitionExpirationDays = { "raw.commerce_events": 90 })));
    expect(parsed.bigquery.partitionExpirationDays).toEqual({ ...basePartitionExpirationDays, "raw.commerce_events": 90 });
  });

  test("every partitioned contract table has a value in every environment, and only those", () => {
    expect(Object.keys(basePartitionExpirationDays).sort()).toEqual([...partitioned].sort());
    for (const env of ENVIRONMENTS) expect(Object.keys(loadConfig(env).bigquery.partitionExpirationDays).sort()).toEqual([...partitioned].sort());
  });

  test("an unpartitioned table is not a key (its partitions cannot expire)", () => {
    const err = errorOf("dev", withPatch("dev", (c) => void (c.bigquery.partitionExpirationDays = { "ref.products": 30 })));
    expect(err.issues.map((i) => i.message).join("\n")).toMatch(/unknown table "ref\.products"/);
  });
});

test("a bad label key says the rule", () => {
  const err = errorOf("dev", withPatch("dev", (c) => void (c.labels = { ...c.labels, "Cost-Center": "x" })));
  const issue = err.issues.find((i) => i.path === "labels.Cost-Center");
  expect(issue?.message).toBe('label key "Cost-Center" must start with a lowercase letter and hold only lowercase letters, digits, _ and - (at most 63 characters)');
  expect(errorOf("dev", withPatch("dev", (c) => void (c.labels = { ...c.labels, ["k".repeat(64)]: "x" }))).issues[0].message).toMatch(/at most 63 characters/);
});
