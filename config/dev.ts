import { base } from "./base";
import type { ConfigInput } from "./schema";

/** dev: short retention, no deletion protection, small scale; subscriptions expire when idle. */
export const dev: ConfigInput = {
  ...base,
  environment: "dev",
  project: "streamline-dev",
  stateBucket: "streamline-dev-tfstate",
  deletionProtection: false,
  pubsub: {
    ...base.pubsub,
    topics: {
      "commerce-events": { messageRetention: "86400s" },
      "commerce-events-dlq": { messageRetention: "604800s" },
      "reconcile-requests": { messageRetention: "86400s" },
      "reconcile-requests-dlq": { messageRetention: "604800s" },
      "reconciliation-alerts": { messageRetention: "86400s" },
    },
    // dev subscriptions are deleted after 31 idle days.
    subscriptions: {
      enrichment: { ...base.pubsub.subscriptions.enrichment, expirationTtl: "2678400s" },
      reconciliation: { ...base.pubsub.subscriptions.reconciliation, expirationTtl: "2678400s" },
      "raw-mirror": { ...base.pubsub.subscriptions["raw-mirror"], expirationTtl: "2678400s" },
    },
  },
  bigquery: { partitionExpirationDays: { "raw.commerce_events": 7, "ops.dead_letters": 14 } },
  functions: {
    enrichment: { ...base.functions.enrichment, maxInstances: 2 },
    reconciliation: base.functions.reconciliation,
  },
  monitoring: {
    ...base.monitoring,
    notificationChannels: [
      { id: "dev-email", type: "email", displayName: "streamline dev", labels: { email_address: "streamline-dev@example.com" } },
    ],
  },
};
