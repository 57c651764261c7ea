import { z } from "zod";
import { DURATION_PATTERN, durationSeconds } from "./duration";
import { basePartitionExpirationDays } from "./base";
import {
  ACK_DEADLINE_S,
  FUNCTION_CONCURRENCY,
  FUNCTION_TIMEOUT_S,
  INSERT_ALL_MAX_REQUEST_BYTES,
  MAX_DELIVERY_ATTEMPTS,
  RETRY_BACKOFF_S,
  SCHEDULER_BACKOFF_S,
  SCHEDULER_MAX_DOUBLINGS,
  SCHEDULER_MAX_RETRY_DURATION_S,
  SCHEDULER_RETRY_COUNT,
  SUBSCRIPTION_EXPIRATION_TTL_S,
  SUBSCRIPTION_RETENTION_S,
  TOPIC_RETENTION_S,
  type Limit,
} from "./gcp-limits";
import { notificationChannelSchema, placeholderPaths } from "./notification-channels";
import { PARTITIONED_TABLE_IDS, perTableMap } from "./per-table";
import { NUMERIC_SCALE, numericTextOfNumber } from "../contracts/numeric";

// Limits Pub/Sub, Cloud Scheduler and Cloud Functions accept (config/gcp-limits.ts); checked here so a
// bad value fails synth, not `terraform apply`.
const duration = (what: string, limit: Limit) =>
  z
    .string()
    .regex(DURATION_PATTERN, `${what} must be a duration in seconds like "604800s"`)
    .refine((d) => !DURATION_PATTERN.test(d) || (durationSeconds(d) >= limit.min && durationSeconds(d) <= limit.max), {
      message: `${what} must be between ${limit.min}s and ${limit.max}s`,
    });
const intWithin = (limit: Limit) => z.number().int().min(limit.min).max(limit.max);

// GCP label rules: keys start with a lowercase letter; keys and values hold lowercase letters, digits, _ and -, at most 63 characters.
/** Parity canary settings an environment need not write: alert on any finding, sample 200 events a day. */
export const PARITY_DEFAULTS = { lostInEnrichmentMax: 0, mismatchMax: 0, recomputeSampleSize: 200 } as const;
/** The recompute canary holds its sample (payloads and curated rows) in memory. */
export const MAX_RECOMPUTE_SAMPLE = 10_000;

const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const labelValue = z.string().regex(/^[a-z0-9_-]{0,63}$/, "label values are lowercase letters, digits, _ and -, at most 63");

const topicSchema = z.strictObject({
  /** Message retention on the topic, e.g. "604800s" (10 min to 31 days). */
  messageRetention: duration("topic messageRetention", TOPIC_RETENTION_S),
});

const subscriptionSchema = z.strictObject({
  /** 5-100: after this many failed deliveries Pub/Sub forwards the message to the DLQ topic. */
  maxDeliveryAttempts: intWithin(MAX_DELIVERY_ATTEMPTS),
  /** 10-600 seconds. For push subscriptions it must cover the function's timeout. */
  ackDeadlineSeconds: intWithin(ACK_DEADLINE_S),
  /** Exponential backoff between redeliveries, each 0-600s. */
  retryBackoff: z.strictObject({
    minimum: duration("retryBackoff.minimum", RETRY_BACKOFF_S),
    maximum: duration("retryBackoff.maximum", RETRY_BACKOFF_S),
  }),
  /** Unacked/acked message retention on the subscription (10 min to 7 days). */
  messageRetention: duration("subscription messageRetention", SUBSCRIPTION_RETENTION_S),
  /** Inactivity TTL after which Pub/Sub deletes the subscription; null = never expires. */
  expirationTtl: duration("expirationTtl", SUBSCRIPTION_EXPIRATION_TTL_S).nullable(),
});

const functionSchema = z.strictObject({
  /** Memory, e.g. "512Mi". */
  memory: z.string().regex(/^\d+(Mi|Gi)$/, 'memory must look like "512Mi" or "1Gi"'),
  /** CPU count for the instance. */
  cpu: z.string().regex(/^\d+(\.\d+)?$/),
  minInstances: z.number().int().min(0).max(100),
  maxInstances: z.number().int().min(1).max(1000),
  /** Concurrent requests one instance serves (gen2). */
  concurrency: intWithin(FUNCTION_CONCURRENCY),
  /** Request timeout, 1-3600 seconds (HTTP-triggered gen2). */
  timeoutSeconds: intWithin(FUNCTION_TIMEOUT_S),
});

export const configSchema = z
  .strictObject({
    environment: z.enum(["dev", "staging", "prod"]),
    /** GCP project id. */
    project: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "project must be a GCP project id (6-30 chars, lowercase)"),
    /** Region for functions, scheduler and the message storage policy, e.g. "europe-west1". */
    region: z.string().regex(/^[a-z]+-[a-z]+\d$/, 'region must look like "europe-west1"'),
    /** BigQuery dataset location, e.g. "EU" or "europe-west1". */
    bigqueryLocation: z.string().min(2),
    /** GCS bucket holding Terraform state for this environment. */
    stateBucket: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/, "stateBucket must be a GCS bucket name"),
    /** Labels put on every labelable resource; must include team and cost_center (env is added). */
    labels: z
      .record(z.string().regex(LABEL_KEY), labelValue, {
        error: (iss) => (iss.code === "invalid_key" ? `label key ${JSON.stringify(iss.input)} must start with a lowercase letter and hold only lowercase letters, digits, _ and - (at most 63 characters)` : undefined),
      })
      .refine((l) => "team" in l && "cost_center" in l, { message: "labels must include team and cost_center" }),
    /** Deletion protection on BigQuery tables. */
    deletionProtection: z.boolean(),
    /** Customer-managed encryption; when required, kmsKeyName must be set. */
    cmek: z
      .strictObject({ required: z.boolean(), kmsKeyName: z.string().regex(/^projects\/.+\/keyRings\/.+\/cryptoKeys\/.+$/).optional() })
      .refine((c) => !c.required || c.kmsKeyName !== undefined, { message: "cmek.kmsKeyName is required when cmek.required is true" }),
    pubsub: z.strictObject({
      /** Regions where Pub/Sub may store messages. */
      allowedPersistenceRegions: z.array(z.string().min(1)).min(1),
      topics: z.strictObject({
        "commerce-events": topicSchema,
        "commerce-events-dlq": topicSchema,
        "reconcile-requests": topicSchema,
        "reconcile-requests-dlq": topicSchema,
        "reconciliation-alerts": topicSchema,
      }),
      /** Per subscription we own; DLQ subscriptions inherit retention and expiration from their parent. */
      subscriptions: z.strictObject({
        /** Push to the enrichment function. */
        enrichment: subscriptionSchema,
        /** Push to the reconciliation function. */
        reconciliation: subscriptionSchema,
        /** BigQuery subscription mirroring commerce-events into raw.commerce_events. */
        "raw-mirror": subscriptionSchema,
      }),
    }),
    bigquery: z.strictObject({
      /** Partition expiration in days per partitioned table (`dataset.table`); null keeps partitions forever; a table left out takes config/base.ts's value. */
      partitionExpirationDays: perTableMap("partitionExpirationDays", PARTITIONED_TABLE_IDS, z.number().int().min(1).nullable(), basePartitionExpirationDays),
    }),
    functions: z.strictObject({ enrichment: functionSchema, reconciliation: functionSchema }),
    enrichment: z.strictObject({
      /** An event ingested later than this after occurred_at is flagged is_late. */
      lateThresholdSeconds: z.number().int().min(1),
      /** Group commit limits per flush. */
      flushMaxRows: z.number().int().min(1).max(50000),
      // BigQuery insertAll refuses larger requests; leave 1 MiB for the request envelope.
      flushMaxBytes: z.number().int().min(1024).max(INSERT_ALL_MAX_REQUEST_BYTES - 1024 * 1024),
      /** Insert calls in flight at once per instance (pipelined group commit); at most the function's concurrency. */
      flushConcurrency: z.number().int().min(1),
      /** Reference data cache TTL; refreshed in the background. */
      refCacheTtlSeconds: z.number().int().min(1),
      /** Size of the in-process cache of recently written event ids. */
      dedupeCacheSize: z.number().int().min(0),
    }),
    reconciliation: z.strictObject({
      schedule: z.strictObject({
        /** Cron in the job's time zone, e.g. "30 2 * * *". */
        cron: z.string().regex(/^(\S+\s+){4}\S+$/, "cron must have 5 fields"),
        /** IANA time zone, e.g. "Europe/Amsterdam". */
        timeZone: z.string().refine(isIanaTimeZone, { message: "timeZone must be an IANA time zone" }),
        retry: z.strictObject({
          retryCount: intWithin(SCHEDULER_RETRY_COUNT),
          maxRetryDuration: duration("maxRetryDuration", SCHEDULER_MAX_RETRY_DURATION_S),
          minBackoff: duration("minBackoff", SCHEDULER_BACKOFF_S),
          maxBackoff: duration("maxBackoff", SCHEDULER_BACKOFF_S),
          maxDoublings: intWithin(SCHEDULER_MAX_DOUBLINGS),
        }),
      }),
      /** Drift ratios above these fail the run (warn above half). */
      thresholds: z.strictObject({
        countDriftRatio: z.number().min(0).max(1),
        revenueDriftRatio: z.number().min(0).max(1),
      }),
      /** Events streamed up to this long after the day closed count as late_arrival, not missing. */
      lateAllowanceHours: z.number().int().min(0).max(72),
      /** USD amounts of one order differing by more than this are an amount_mismatch (FX rounding stays below). */
      amountToleranceUsd: z
        .number()
        .min(0, "amountToleranceUsd must be >= 0")
        .max(1, "amountToleranceUsd must be at most 1 USD")
        .refine((v) => Number(numericTextOfNumber(v)) === v, `amountToleranceUsd must have at most ${NUMERIC_SCALE} decimal places (BigQuery NUMERIC)`),
      /** If the ledger partition has not landed this long after the day closed, record late_source. */
      sourceDeadlineHours: z.number().int().min(1).max(72),
      /** Insert ledger orders missing from the stream into curated (source = ledger_repair). */
      repair: z.boolean(),
      /** Example keys kept per discrepancy kind. */
      topK: z.number().int().min(1).max(1000),
      /** order_id hash shards a run is evaluated in, one after another; 1 in BigQuery (local runs pass more). */
      shards: z.number().int().min(1).default(1),
      /** Parity canaries (the run row and examples record any finding; above a threshold it alerts). */
      parity: z
        .strictObject({
          /** lost_in_enrichment (raw-mirror events neither curated nor dead-lettered) above this alerts. */
          lostInEnrichmentMax: z.number().int().min(0).default(PARITY_DEFAULTS.lostInEnrichmentMax),
          /** parity_mismatch (sampled curated columns differing from their recompute) above this alerts. */
          mismatchMax: z.number().int().min(0).default(PARITY_DEFAULTS.mismatchMax),
          /** Curated events of the day re-enriched from the raw mirror, the same ones every run (FARM_FINGERPRINT order). */
          recomputeSampleSize: z
            .number()
            .int()
            .min(1, "recomputeSampleSize must be at least 1")
            .max(MAX_RECOMPUTE_SAMPLE, `recomputeSampleSize must be at most ${MAX_RECOMPUTE_SAMPLE} (the sample's payloads are held in the function's memory)`)
            .default(PARITY_DEFAULTS.recomputeSampleSize),
        })
        .default(PARITY_DEFAULTS),
    }),
    monitoring: z.strictObject({
      notificationChannels: z.array(notificationChannelSchema),
      /** Oldest unacked message age on the enrichment subscription that pages. */
      freshnessSlaSeconds: z.number().int().min(1),
      /** Freshness p99 (ingest - occurred) that alerts. */
      freshnessP99Seconds: z.number().int().min(1),
      /** Function error ratio that alerts. */
      functionErrorRatio: z.number().min(0).max(1),
    }),
  })
  .superRefine((c, ctx) => {
    // A value written to be replaced later would deploy as is (an alert paging nobody).
    if (c.environment !== "dev") {
      for (const p of placeholderPaths(c)) {
        ctx.addIssue({ code: "custom", path: p.path, message: `looks like a placeholder (${JSON.stringify(p.value)}): staging and prod need the real value` });
      }
    }
    for (const [name, sub] of Object.entries(c.pubsub.subscriptions)) {
      const path = ["pubsub", "subscriptions", name];
      if (durationSeconds(sub.retryBackoff.minimum) > durationSeconds(sub.retryBackoff.maximum)) {
        ctx.addIssue({ code: "custom", path: [...path, "retryBackoff", "minimum"], message: "must not exceed retryBackoff.maximum" });
      }
      if (c.environment !== "dev" && sub.expirationTtl !== null) {
        ctx.addIssue({ code: "custom", path: [...path, "expirationTtl"], message: "subscriptions in staging and prod must never expire (null)" });
      }
    }
    // Pub/Sub redelivers a push message whose ack deadline passes while the function still runs.
    for (const fn of ["enrichment", "reconciliation"] as const) {
      const ack = c.pubsub.subscriptions[fn].ackDeadlineSeconds;
      if (ack < c.functions[fn].timeoutSeconds) {
        ctx.addIssue({
          code: "custom",
          path: ["pubsub", "subscriptions", fn, "ackDeadlineSeconds"],
          message: `must be at least functions.${fn}.timeoutSeconds (${c.functions[fn].timeoutSeconds}): a push subscription redelivers while the function still runs`,
        });
      }
    }
    // A flush carries at least one request, so more flush slots than requests in flight never fill.
    if (c.enrichment.flushConcurrency > c.functions.enrichment.concurrency) {
      ctx.addIssue({
        code: "custom",
        path: ["enrichment", "flushConcurrency"],
        message: `must not exceed functions.enrichment.concurrency (${c.functions.enrichment.concurrency}): each flush carries at least one request`,
      });
    }
    // The freshness gate relies on redelivery: retries must outlast the source deadline, or a late
    // ledger ends in the DLQ instead of being recorded as late_source.
    const recon = c.pubsub.subscriptions.reconciliation;
    const retryWindowS = recon.maxDeliveryAttempts * durationSeconds(recon.retryBackoff.maximum);
    if (retryWindowS < c.reconciliation.sourceDeadlineHours * 3600) {
      ctx.addIssue({
        code: "custom",
        path: ["pubsub", "subscriptions", "reconciliation", "maxDeliveryAttempts"],
        message: `maxDeliveryAttempts x retryBackoff.maximum (${retryWindowS}s) must cover reconciliation.sourceDeadlineHours (${c.reconciliation.sourceDeadlineHours}h)`,
      });
    }
    for (const [name, fn] of Object.entries(c.functions)) {
      if (fn.minInstances > fn.maxInstances) {
        ctx.addIssue({ code: "custom", path: ["functions", name, "minInstances"], message: "must not exceed maxInstances" });
      }
    }
  });

function isIanaTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Config as written in config/<env>.ts. */
export type ConfigInput = z.input<typeof configSchema>;
/** Config after validation: what stacks and functions receive. */
export type EnvConfig = z.output<typeof configSchema>;
export type Environment = EnvConfig["environment"];
