import { base } from "./base";
import type { ConfigInput } from "./schema";

/** staging: prod-shaped, shorter retention, no paging. */
export const staging: ConfigInput = {
  ...base,
  environment: "staging",
  project: "streamline-staging",
  stateBucket: "streamline-staging-tfstate",
  deletionProtection: true,
  pubsub: {
    ...base.pubsub,
    topics: {
      "commerce-events": { messageRetention: "604800s" },
      "commerce-events-dlq": { messageRetention: "1209600s" },
      "reconcile-requests": { messageRetention: "604800s" },
      "reconcile-requests-dlq": { messageRetention: "1209600s" },
      "reconciliation-alerts": { messageRetention: "604800s" },
    },
  },
  bigquery: { partitionExpirationDays: { "raw.commerce_events": 14 } },
  functions: {
    enrichment: { ...base.functions.enrichment, maxInstances: 5 },
    reconciliation: base.functions.reconciliation,
  },
  monitoring: {
    ...base.monitoring,
    notificationChannels: [
      // The address lives in Secret Manager in the staging project, read at plan time (README "Secrets").
      { id: "staging-email", type: "email", displayName: "streamline staging", labels: { email_address: { secret: "streamline-alert-email" } } },
    ],
  },
};
