import { overBase } from "./over-base";

/** staging: prod-shaped, shorter retention (config/base.ts's), no paging. */
export const staging = overBase({
  environment: "staging",
  project: "streamline-staging",
  stateBucket: "streamline-staging-tfstate",
  deletionProtection: true,
  bigquery: { partitionExpirationDays: { "raw.commerce_events": 14 } },
  functions: { enrichment: { maxInstances: 5 } },
  monitoring: {
    notificationChannels: [
      // The address lives in Secret Manager in the staging project, read at plan time (README "Secrets").
      { id: "staging-email", type: "email", displayName: "streamline staging", labels: { email_address: { secret: "streamline-alert-email" } } },
    ],
  },
});
