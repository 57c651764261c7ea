import { DAY, MINUTE } from "./duration";

// What GCP accepts, stated once: config validation, constructs and guardrails check the same bounds,
// so a bad value fails at the first of them instead of at `terraform apply`.

/** An inclusive range; `default` is what the API applies when the attribute is left out. */
export interface Limit {
  readonly min: number;
  readonly max: number;
  readonly default?: number;
}

export const isWithin = (value: number, limit: Limit): boolean => value >= limit.min && value <= limit.max;

/** Pub/Sub topic `message_retention_duration`, seconds. */
export const TOPIC_RETENTION_S: Limit = { min: 10 * MINUTE, max: 31 * DAY };
/** Pub/Sub subscription `message_retention_duration`, seconds. */
export const SUBSCRIPTION_RETENTION_S: Limit = { min: 10 * MINUTE, max: 7 * DAY };
/** Pub/Sub subscription `expiration_policy.ttl`, seconds. */
export const SUBSCRIPTION_EXPIRATION_TTL_S: Limit = { min: DAY, max: 365 * DAY };
/** Pub/Sub `dead_letter_policy.max_delivery_attempts`. */
export const MAX_DELIVERY_ATTEMPTS: Limit = { min: 5, max: 100, default: 5 };
/** Pub/Sub subscription `ack_deadline_seconds`. */
export const ACK_DEADLINE_S: Limit = { min: 10, max: 600, default: 10 };
/** Pub/Sub `retry_policy` minimum and maximum backoff, seconds. */
export const RETRY_BACKOFF_S: Limit = { min: 0, max: 600 };

/** Cloud Functions gen2 (HTTP) `service_config.timeout_seconds`. */
export const FUNCTION_TIMEOUT_S: Limit = { min: 1, max: 3600, default: 60 };
/** Cloud Functions gen2 concurrent requests per instance. */
export const FUNCTION_CONCURRENCY: Limit = { min: 1, max: 1000 };

/** Cloud Scheduler `retry_config`. */
export const SCHEDULER_RETRY_COUNT: Limit = { min: 0, max: 5 };
export const SCHEDULER_MAX_RETRY_DURATION_S: Limit = { min: 0, max: 7 * DAY };
export const SCHEDULER_BACKOFF_S: Limit = { min: 0, max: 3600 };
export const SCHEDULER_MAX_DOUBLINGS: Limit = { min: 0, max: 16 };

/** BigQuery: clustering columns per table. */
export const MAX_CLUSTERING_KEYS = 4;
/** BigQuery `tabledata.insertAll`: largest HTTP request body, bytes. */
export const INSERT_ALL_MAX_REQUEST_BYTES = 10 * 1024 * 1024;
