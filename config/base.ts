import type { DeepPartial } from "./deep-merge";
import type { ConfigInput } from "./schema";

/** Subscription settings shared unless an environment or subscription says otherwise. */
export const subscriptionDefaults = {
  maxDeliveryAttempts: 5,
  ackDeadlineSeconds: 60,
  retryBackoff: { minimum: "10s", maximum: "600s" },
  messageRetention: "604800s",
  expirationTtl: null as string | null,
};

/** What every environment shares. Environment files hold only their differences. */
export const base = {
  region: "europe-west1",
  bigqueryLocation: "EU",
  labels: { team: "data-platform", cost_center: "cc-4410" },
  cmek: { required: false },
  pubsub: {
    allowedPersistenceRegions: ["europe-west1"],
    // Message retention per topic; dead-letter topics keep messages longer, for investigation.
    topics: {
      "commerce-events": { messageRetention: "604800s" },
      "commerce-events-dlq": { messageRetention: "1209600s" },
      "reconcile-requests": { messageRetention: "604800s" },
      "reconcile-requests-dlq": { messageRetention: "1209600s" },
      "reconciliation-alerts": { messageRetention: "604800s" },
    },
    subscriptions: {
      enrichment: subscriptionDefaults,
      // While the ledger has not landed the function answers 503; Pub/Sub then retries every <= 10 min
      // for up to 100 attempts (~16 h), past reconciliation.sourceDeadlineHours, when it records late_source.
      reconciliation: {
        ...subscriptionDefaults,
        maxDeliveryAttempts: 100,
        ackDeadlineSeconds: 600,
        retryBackoff: { minimum: "60s", maximum: "600s" },
      },
      "raw-mirror": subscriptionDefaults,
    },
  },
  functions: {
    // enrichment concurrency, from bench:enrichment (e) on a quiet machine, 2026-12-01: max RSS stays at
    // 209-300 MB up to 1000 concurrent (limit: 60% of 512Mi = 307 MB) and p99 under the ack deadline / 10
    // (6 s), so those two limits alone would allow 1000. But a push is acked only after its row is written,
    // so an instance serves at most C / L (Little); with 16 flush slots and 30 ms inserts little_30ms was
    // 0.88 / 0.86 / 0.85 at 20 / 30 / 40 concurrent and 0.74-0.82 at 50-80, where the instance nears one
    // busy vCPU (~550 µs of CPU per event): more concurrency then only queues pushes inside it (0.57 at 160,
    // 0.29 at 320), where Cloud Run would rather add instances (it scales out at 60% CPU). 40 is the highest
    // that kept p99 <= 250 ms and 0.8 of Little's bound in every quiet sweep.
    enrichment: { memory: "512Mi", cpu: "1", minInstances: 0, maxInstances: 10, concurrency: 40, timeoutSeconds: 60 },
    reconciliation: { memory: "1Gi", cpu: "1", minInstances: 0, maxInstances: 1, concurrency: 1, timeoutSeconds: 540 },
  },
  enrichment: {
    lateThresholdSeconds: 3600,
    flushMaxRows: 500,
    flushMaxBytes: 5 * 1024 * 1024,
    // Insert calls in flight per instance. Pushes arriving independently wait on average L / (2k) for a
    // flush to start, so an instance reaches about 2k / (2k + 1) of Little's bound when CPU is free.
    // bench:enrichment (d), quiet machine, 80 concurrent, 30 ms inserts: 1250 / 1641 / 1742 / 1827 / 1955
    // req/s with 1 / 2 / 4 / 8 / 16 slots (rows per call 40 / 26 / 14 / 8 / 4): 16 is within 5% of the best;
    // at 60 concurrent it gave little_30ms 0.82 where 4 slots gave 0.70. More calls of fewer rows cost
    // BigQuery nothing extra (insertAll is priced per byte).
    flushConcurrency: 16,
    refCacheTtlSeconds: 300,
    dedupeCacheSize: 100_000,
  },
  reconciliation: {
    schedule: {
      cron: "30 2 * * *",
      timeZone: "Europe/Amsterdam",
      retry: { retryCount: 5, maxRetryDuration: "21600s", minBackoff: "300s", maxBackoff: "3600s", maxDoublings: 3 },
    },
    thresholds: { countDriftRatio: 0.01, revenueDriftRatio: 0.01 },
    lateAllowanceHours: 6,
    amountToleranceUsd: 0.005,
    sourceDeadlineHours: 12,
    repair: false,
    topK: 20,
    shards: 1,
  },
  monitoring: {
    freshnessSlaSeconds: 300,
    freshnessP99Seconds: 120,
    functionErrorRatio: 0.05,
  },
} satisfies DeepPartial<ConfigInput>;

/** Partition expiration per partitioned table unless an environment says otherwise (days; null = keep). */
export const basePartitionExpirationDays = {
  "raw.commerce_events": 30,
  "curated.commerce_events": null,
  "ledger.orders": null,
  "ledger.load_markers": null,
  "ops.dead_letters": 90,
  "ops.reconciliation_runs": 400,
  "ops.reconciliation_discrepancies": 90,
  "ops.redrives": 400,
} as const;
