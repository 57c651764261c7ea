import { overBase } from "./over-base";

/** prod: long retention, deletion protection, CMEK-ready, alerts to on-call. */
export const prod = overBase({
  environment: "prod",
  project: "streamline-prod",
  stateBucket: "streamline-prod-tfstate",
  deletionProtection: true,
  pubsub: {
    topics: {
      "commerce-events": { messageRetention: "2678400s" },
      "commerce-events-dlq": { messageRetention: "2678400s" },
      "reconcile-requests-dlq": { messageRetention: "2678400s" },
    },
    subscriptions: { enrichment: { maxDeliveryAttempts: 10 } },
  },
  bigquery: { partitionExpirationDays: { "raw.commerce_events": 90, "ops.dead_letters": 180 } },
  functions: { enrichment: { minInstances: 1, maxInstances: 50 } },
  reconciliation: { thresholds: { countDriftRatio: 0.005, revenueDriftRatio: 0.005 } },
  monitoring: {
    notificationChannels: [
      // Destinations live in Secret Manager in the prod project, read at plan time (README "Secrets").
      { id: "prod-oncall", type: "pagerduty", displayName: "streamline on-call", labels: { service_key: { secret: "streamline-pagerduty-service-key" } } },
      { id: "prod-email", type: "email", displayName: "streamline prod", labels: { email_address: { secret: "streamline-alert-email" } } },
    ],
  },
});
