import { base } from "./base";
import type { ConfigInput } from "./schema";

/** prod: long retention, deletion protection, CMEK-ready, alerts to on-call. */
export const prod: ConfigInput = {
  ...base,
  environment: "prod",
  project: "streamline-prod",
  stateBucket: "streamline-prod-tfstate",
  deletionProtection: true,
  pubsub: {
    ...base.pubsub,
    topics: {
      "commerce-events": { messageRetention: "2678400s" },
      "commerce-events-dlq": { messageRetention: "2678400s" },
      "reconcile-requests": { messageRetention: "604800s" },
      "reconcile-requests-dlq": { messageRetention: "2678400s" },
      "reconciliation-alerts": { messageRetention: "604800s" },
    },
    subscriptions: {
      ...base.pubsub.subscriptions,
      enrichment: { ...base.pubsub.subscriptions.enrichment, maxDeliveryAttempts: 10 },
    },
  },
  bigquery: { partitionExpirationDays: { "raw.commerce_events": 90, "ops.dead_letters": 180 } },
  functions: {
    enrichment: { ...base.functions.enrichment, minInstances: 1, maxInstances: 50 },
    reconciliation: base.functions.reconciliation,
  },
  reconciliation: { ...base.reconciliation, thresholds: { countDriftRatio: 0.005, revenueDriftRatio: 0.005 } },
  monitoring: {
    ...base.monitoring,
    notificationChannels: [
      // Destinations live in Secret Manager in the prod project, read at plan time (README "Secrets").
      { id: "prod-oncall", type: "pagerduty", displayName: "streamline on-call", labels: { service_key: { secret: "streamline-pagerduty-service-key" } } },
      { id: "prod-email", type: "email", displayName: "streamline prod", labels: { email_address: { secret: "streamline-alert-email" } } },
    ],
  },
};
