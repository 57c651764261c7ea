import { DataGoogleSecretManagerSecretVersion } from "@cdktf/provider-google/lib/data-google-secret-manager-secret-version";
import { MonitoringNotificationChannel } from "@cdktf/provider-google/lib/monitoring-notification-channel";
import type { Construct } from "constructs";
import { isSecretRef, isSensitiveChannelLabel, type NotificationChannelConfig, type SecretRef } from "../../config";
import type { ResourceLabels } from "./labels";

// The provider's names for the sensitive_labels block's fields.
const SENSITIVE_LABEL_FIELDS = { service_key: "serviceKey", auth_token: "authToken", password: "password" } as const;

export interface NotificationChannelProps {
  /** GCP project id; Secret Manager secrets are read from it too. */
  readonly project: string;
  /** The channel as configured (`config.monitoring.notificationChannels[i]`). */
  readonly channel: NotificationChannelConfig;
  /** User labels on the channel (config labels + env). */
  readonly labels: ResourceLabels;
}

/**
 * A Cloud Monitoring notification channel created directly in `scope` (id `channel-<id>`). Label
 * values given as `{ secret }` are read from Secret Manager at plan time (latest version), so neither
 * config nor cdk.tf.json holds them; credentials go to sensitive_labels, out of plan output.
 */
export function notificationChannel(scope: Construct, props: NotificationChannelProps): MonitoringNotificationChannel {
  const c = props.channel;
  const resolve = (label: string, value: string | SecretRef): string =>
    isSecretRef(value)
      ? new DataGoogleSecretManagerSecretVersion(scope, `channel-${c.id}-${label}-secret`, { project: props.project, secret: value.secret }).secretData
      : value;
  const plain: Record<string, string> = {};
  const sensitive: Partial<Record<(typeof SENSITIVE_LABEL_FIELDS)[keyof typeof SENSITIVE_LABEL_FIELDS], string>> = {};
  for (const [label, value] of Object.entries(c.labels)) {
    if (isSensitiveChannelLabel(label)) sensitive[SENSITIVE_LABEL_FIELDS[label]] = resolve(label, value);
    else plain[label] = resolve(label, value);
  }
  return new MonitoringNotificationChannel(scope, `channel-${c.id}`, {
    project: props.project,
    displayName: c.displayName,
    type: c.type,
    labels: plain,
    sensitiveLabels: Object.keys(sensitive).length ? sensitive : undefined,
    userLabels: { ...props.labels },
  });
}
