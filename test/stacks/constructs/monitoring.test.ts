import { ENVIRONMENTS, isSecretRef, placeholderPaths, type Environment } from "../../../config";
import { RUNBOOK_ANCHORS } from "../../../contracts/runbook";
import { runbookAnchors } from "../../support/markdown-anchors";
import { synthShippedStacks, type ShippedStack } from "../guardrails/shipped-stacks";

const shipped = synthShippedStacks();
afterAll(() => shipped.cleanup());

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const resources = (s: ShippedStack, type: string): Body[] => Object.values(s.tf.resource?.[type] ?? {});
/** The stack's log-based metrics by name. */
const logMetrics = (s: ShippedStack): Record<string, Body> => Object.fromEntries(resources(s, "google_logging_metric").map((m) => [m.name, m]));
const policy = (s: ShippedStack, title: string) => {
  const found = resources(s, "google_monitoring_alert_policy").filter((p) => p.display_name === `[${s.config.environment}] ${title}`);
  expect(found).toHaveLength(1);
  return found[0];
};


describe.each(ENVIRONMENTS)("monitoring in %s", (env: Environment) => {
  const s = () => shipped.stacks[env];

  it("has one notification channel per configured channel, secrets in sensitive_labels", () => {
    const channels = resources(s(), "google_monitoring_notification_channel");
    expect(channels.map((c) => c.display_name).sort()).toEqual(s().config.monitoring.notificationChannels.map((c) => c.displayName).sort());
    for (const c of channels) expect(Object.keys(c.labels ?? {})).not.toContain("service_key");
  });

  it("holds no placeholder and no secret value: credentials come from Secret Manager at plan time", () => {
    // View SQL is exempt: `SELECT * REPLACE (...)` is BigQuery syntax, not a placeholder.
    const found = placeholderPaths(s().tf).filter((p) => p.path.slice(-2).join(".") !== "view.query");
    if (env !== "dev") expect(found.map((p) => `${p.path.join(".")}: ${p.value}`)).toEqual([]);
    const secretRead = /^\$\{data\.google_secret_manager_secret_version\.[\w-]+\.secret_data\}$/;
    for (const c of resources(s(), "google_monitoring_notification_channel")) {
      for (const value of Object.values(c.sensitive_labels ?? {})) expect(value).toMatch(secretRead);
    }
    const configured = s().config.monitoring.notificationChannels.flatMap((c) => Object.values(c.labels)).filter(isSecretRef);
    expect(Object.values(s().tf.data?.google_secret_manager_secret_version ?? {}).map((d) => d.secret).sort()).toEqual(configured.map((r) => r.secret).sort());
  });

  it("has every alert, each notifying every channel and linking its runbook section", () => {
    const policies = resources(s(), "google_monitoring_alert_policy");
    expect(policies).toHaveLength(Object.keys(RUNBOOK_ANCHORS).length);
    const sections = runbookAnchors();
    for (const p of policies) {
      const [, anchor] = /Runbook: docs\/RUNBOOK\.md#([a-z0-9-]+)/.exec(p.documentation.content) ?? [];
      expect(sections).toContain(anchor);
      expect(p.notification_channels).toHaveLength(s().config.monitoring.notificationChannels.length);
    }
  });

  it("takes thresholds from config", () => {
    const m = s().config.monitoring;
    const lag = policy(s(), "Enrichment lag").conditions[0].condition_threshold;
    expect(lag.threshold_value).toBe(m.freshnessSlaSeconds);
    expect(lag.filter).toContain("subscription/oldest_unacked_message_age");
    expect(lag.filter).toMatch(/subscription_id="\$\{google_pubsub_subscription\.subscription-enrichment_subscription_[A-F0-9]+\.name\}"/);
    expect(policy(s(), "Freshness p99").conditions[0].condition_threshold.threshold_value).toBe(m.freshnessP99Seconds);
    for (const c of policy(s(), "Function error rate").conditions) {
      expect(c.condition_threshold.threshold_value).toBe(m.functionErrorRatio);
      expect(c.condition_threshold.filter).toContain('metric.label.response_code_class="5xx"');
      expect(c.condition_threshold.denominator_filter).not.toContain("5xx");
    }
  });

  it("watches every DLQ subscription for undelivered messages", () => {
    const filter: string = policy(s(), "Dead letters waiting").conditions[0].condition_threshold.filter;
    const dlqSubscriptions = Object.entries(s().tf.resource?.google_pubsub_subscription ?? {}).filter(([, b]) => String(b.name).endsWith("-dlq-sub"));
    expect(dlqSubscriptions).toHaveLength(6);
    for (const [id] of dlqSubscriptions) expect(filter).toContain(`\${google_pubsub_subscription.${id}.name}`);
  });

  it("alerts on a missing nightly run by metric absence within the API's 23.5h limit", () => {
    const absent = policy(s(), "Nightly run missing").conditions[0].condition_absent;
    expect(Number(absent.duration.replace("s", ""))).toBeLessThanOrEqual(23.5 * 3600);
    expect(absent.filter).toMatch(/logging\.googleapis\.com\/user\/\$\{google_logging_metric\.[^}]*reconciliation-runs[^}]*\.name\}/);
  });

  it("alerts on drift and failure from the reconciliation's ERROR lines", () => {
    const byName = logMetrics(s());
    expect(byName.streamline_reconciliation_drift_alerts.filter).toContain('jsonPayload.alert="reconciliation_drift"');
    expect(byName.streamline_reconciliation_failures.filter).toContain('jsonPayload.event="reconciliation_failed"');
    expect(byName.streamline_reconciliation_runs.filter).toContain('jsonPayload.event="reconciliation_finished"');
    for (const m of Object.values(byName)) expect(m.filter).not.toContain("jsonPayload.message");
    expect(byName.streamline_enrichment_freshness_p99.value_extractor).toBe("EXTRACT(jsonPayload.freshness_p99_s)");
    expect(policy(s(), "Reconciliation drift").conditions[0].condition_threshold.filter).toContain("drift-alerts");
    expect(policy(s(), "Reconciliation failed").conditions[0].condition_threshold.filter).toContain("reconciliation-failures");
  });

  it("alerts on both parity canaries from the reconciliation's lines, with their config thresholds on the dashboard", () => {
    const byName = logMetrics(s());
    // The field names the function logs (test/functions/reconciliation/recompute-parity.test.ts reads them off its lines).
    expect(byName.streamline_parity_lost_in_enrichment.filter).toContain('jsonPayload.event="reconciliation_finished"');
    expect(byName.streamline_parity_lost_in_enrichment.value_extractor).toBe("EXTRACT(jsonPayload.lost_in_enrichment)");
    expect(byName.streamline_parity_mismatch.value_extractor).toBe("EXTRACT(jsonPayload.parity_mismatch)");
    expect(byName.streamline_parity_lost_in_enrichment_alerts.filter).toContain('jsonPayload.alert="parity_lost_in_enrichment"');
    expect(byName.streamline_parity_mismatch_alerts.filter).toContain('jsonPayload.alert="parity_mismatch"');
    // A canary that cannot run pages as well (the line test/functions/reconciliation/recompute-parity.test.ts reads).
    expect(byName.streamline_parity_mismatch_alerts.filter).toContain('jsonPayload.event="parity_canary_failed" AND jsonPayload.canary="parity_mismatch"');
    expect(byName.streamline_parity_lost_in_enrichment_alerts.filter).toContain('jsonPayload.event="parity_canary_failed" AND jsonPayload.canary="lost_in_enrichment"');
    expect(policy(s(), "Parity: lost in enrichment").conditions[0].condition_threshold.filter).toContain("parity-lost-in-enrichment-alerts");
    expect(policy(s(), "Parity: recompute mismatch").conditions[0].condition_threshold.filter).toContain("parity-mismatch-alerts");
    const parity = s().config.reconciliation.parity;
    const [dashboard] = resources(s(), "google_monitoring_dashboard");
    const tiles: Body[] = JSON.parse(dashboard.dashboard_json).mosaicLayout.tiles;
    const tile = (title: RegExp) => tiles.find((t) => title.test(t.widget.title))!.widget.xyChart;
    expect(tile(/lost in enrichment/).thresholds.map((t: Body) => t.value)).toEqual([parity.lostInEnrichmentMax]);
    expect(tile(/lost in enrichment/).dataSets[0].timeSeriesQuery.timeSeriesFilter.filter).toContain("parity-lost-in-enrichment");
    expect(tile(/recompute mismatches/).thresholds.map((t: Body) => t.value)).toEqual([parity.mismatchMax]);
    expect(tile(/recompute mismatches/).dataSets[0].timeSeriesQuery.timeSeriesFilter.filter).toContain("parity-mismatch");
  });

  it("has a dashboard with lag, freshness, DLQ backlog, errors and drift panels", () => {
    const [dashboard] = resources(s(), "google_monitoring_dashboard");
    const layout = JSON.parse(dashboard.dashboard_json);
    const titles: string[] = layout.mosaicLayout.tiles.map((t: Body) => t.widget.title);
    for (const panel of [/lag/i, /freshness/i, /DLQ backlog/i, /errors/i, /drift/i]) expect(titles.some((t) => panel.test(t))).toBe(true);
    const drift = layout.mosaicLayout.tiles.find((t: Body) => /drift/i.test(t.widget.title)).widget.xyChart;
    expect(drift.thresholds.map((t: Body) => t.value)).toEqual([s().config.reconciliation.thresholds.countDriftRatio, s().config.reconciliation.thresholds.revenueDriftRatio]);
  });
});
