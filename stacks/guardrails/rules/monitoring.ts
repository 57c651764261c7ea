import { CHANNEL_DESTINATION_LABEL, PLACEHOLDER_PATTERN, type ChannelType } from "../../../config/notification-channels";
import { finding, type GuardrailRule } from "../rule";
import { asString, block } from "../../terraform-json";

export const channelHasRealDestination: GuardrailRule = {
  id: "MON-001",
  title: "Notification channels in staging and prod have a real destination",
  rationale: "A channel with no address, or a placeholder one (REPLACE..., example.com), accepts alerts and pages nobody.",
  fix: 'Set the channel\'s destination label in config (email_address, service_key, channel_name or url); give credentials and addresses as { secret: "<Secret Manager secret id>" }.',
  check(ctx) {
    if (ctx.environment === "dev") return [];
    return ctx.view.ofType("google_monitoring_notification_channel").flatMap((ch) => {
      const type = asString(ch.config.type);
      const label = type !== undefined && type in CHANNEL_DESTINATION_LABEL ? CHANNEL_DESTINATION_LABEL[type as ChannelType] : undefined;
      if (label === undefined) return [finding(this, ch, `has type ${String(type)}, whose destination this rule does not know`)];
      const value = block(ch.config.labels)?.[label] ?? block(ch.config.sensitive_labels)?.[label];
      if (typeof value !== "string" || value.trim() === "") return [finding(this, ch, `has no ${label}`)];
      // A reference (e.g. a Secret Manager data source) is resolved at plan time; a literal must be real.
      if (!value.includes("${") && PLACEHOLDER_PATTERN.test(value)) return [finding(this, ch, `has the placeholder ${label} ${JSON.stringify(value)}`)];
      return [];
    });
  },
};

export const MONITORING_RULES = [channelHasRealDestination];
