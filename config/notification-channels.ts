import { z } from "zod";

/** Cloud Monitoring channel types we configure, with the label that says where an alert goes. */
export const CHANNEL_DESTINATION_LABEL = {
  email: "email_address",
  pagerduty: "service_key",
  slack: "channel_name",
  webhook_tokenauth: "url",
} as const;
export type ChannelType = keyof typeof CHANNEL_DESTINATION_LABEL;
export const CHANNEL_TYPES = Object.keys(CHANNEL_DESTINATION_LABEL) as [ChannelType, ...ChannelType[]];

/** Labels Cloud Monitoring treats as credentials (`sensitive_labels`): never a literal in config. */
export const SENSITIVE_CHANNEL_LABELS = ["service_key", "auth_token", "password"] as const;
export const isSensitiveChannelLabel = (label: string): label is (typeof SENSITIVE_CHANNEL_LABELS)[number] =>
  (SENSITIVE_CHANNEL_LABELS as readonly string[]).includes(label);

/** Values that were written to be replaced later: they must not reach staging or prod. */
export const PLACEHOLDER_PATTERN = /(?<![a-z])(replace|todo|tbd|changeme)(?![a-z])|\bexample\.(com|org|net)\b/i;

/**
 * A channel label kept in Secret Manager: the secret id in the environment's project. Terraform reads
 * its latest version at plan time (data source), so the value is in neither config nor cdk.tf.json.
 */
export const secretRefSchema = z.strictObject({
  secret: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, "secret must be a Secret Manager secret id (letters, digits, _ and -)"),
});
export type SecretRef = z.infer<typeof secretRefSchema>;
export const isSecretRef = (value: unknown): value is SecretRef => typeof value === "object" && value !== null && "secret" in value;

export const notificationChannelSchema = z
  .strictObject({
    /** Short id used in resource names. */
    id: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/),
    type: z.enum(CHANNEL_TYPES),
    displayName: z.string().min(1),
    /**
     * Channel labels as Cloud Monitoring expects them, e.g. { email_address: "..." }; a value may be
     * `{ secret: "<id>" }` (read from Secret Manager), and service_key / auth_token / password must be.
     */
    labels: z.record(z.string(), z.union([z.string().min(1), secretRefSchema])),
  })
  .superRefine((c, ctx) => {
    const destination = CHANNEL_DESTINATION_LABEL[c.type];
    if (!(destination in c.labels)) {
      ctx.addIssue({ code: "custom", path: ["labels"], message: `a ${c.type} channel needs labels.${destination} (where its alerts go)` });
    }
    for (const [label, value] of Object.entries(c.labels)) {
      if (isSensitiveChannelLabel(label) && !isSecretRef(value)) {
        ctx.addIssue({ code: "custom", path: ["labels", label], message: `${label} is a credential: give { secret: "<Secret Manager secret id>" }, never the value` });
      }
    }
  });
export type NotificationChannelConfig = z.output<typeof notificationChannelSchema>;

/** JSON paths (`a.b.0.c`) of every string in a value that looks like a placeholder. */
export function placeholderPaths(value: unknown, at: (string | number)[] = []): { path: (string | number)[]; value: string }[] {
  if (typeof value === "string") return PLACEHOLDER_PATTERN.test(value) ? [{ path: at, value }] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => placeholderPaths(v, [...at, i]));
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => placeholderPaths(v, [...at, k]));
  return [];
}
