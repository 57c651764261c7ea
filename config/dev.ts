import { overBase } from "./over-base";

// dev subscriptions are deleted after 31 idle days.
const IDLE_EXPIRATION = { expirationTtl: "2678400s" };

/** dev: short retention, no deletion protection, small scale; subscriptions expire when idle. */
export const dev = overBase({
  environment: "dev",
  project: "streamline-dev",
  stateBucket: "streamline-dev-tfstate",
  deletionProtection: false,
  pubsub: {
    topics: {
      "commerce-events": { messageRetention: "86400s" },
      "commerce-events-dlq": { messageRetention: "604800s" },
      "reconcile-requests": { messageRetention: "86400s" },
      "reconcile-requests-dlq": { messageRetention: "604800s" },
      "reconciliation-alerts": { messageRetention: "86400s" },
    },
    subscriptions: { enrichment: IDLE_EXPIRATION, reconciliation: IDLE_EXPIRATION, "raw-mirror": IDLE_EXPIRATION },
  },
  bigquery: { partitionExpirationDays: { "raw.commerce_events": 7, "ops.dead_letters": 14 } },
  functions: { enrichment: { maxInstances: 2 } },
  monitoring: {
    notificationChannels: [
      { id: "dev-email", type: "email", displayName: "streamline dev", labels: { email_address: "streamline-dev@example.com" } },
    ],
  },
});
