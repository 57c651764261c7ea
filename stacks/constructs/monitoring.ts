import { MonitoringAlertPolicy, type MonitoringAlertPolicyConditions } from "@cdktf/provider-google/lib/monitoring-alert-policy";
import { MonitoringNotificationChannel } from "@cdktf/provider-google/lib/monitoring-notification-channel";
import { Construct } from "constructs";
import type { EnvConfig } from "../../config";
import { RUNBOOK_ANCHORS, RUNBOOK_PATH } from "../../contracts/runbook";
import type { ResourceLabels } from "./labels";
import { LogMetrics, logMetricType } from "./log-metrics";
import { MonitoringDashboard } from "./monitoring-dashboard";
import { notificationChannel } from "./notification-channel";

export const DEFAULT_RUNBOOK_URL = RUNBOOK_PATH;

// Metric absence can wait at most 23.5 h, shorter than the 24 h between nightly runs. Summing runs
// over a 2.5 h window keeps the series alive 2.5 h past each run, so the alert fires when no run
// has finished for 26 h: the usual 24 h plus 2 h for retries and a late ledger.
const MISSING_RUN_ABSENCE = "84600s";
const MISSING_RUN_WINDOW = "9000s";

export interface MonitoringProps {
  /** GCP project id. */
  readonly project: string;
  /** Environment, shown in alert names: "[prod] Enrichment lag". */
  readonly environment: EnvConfig["environment"];
  /** Thresholds and notification channels (`config.monitoring`). */
  readonly settings: EnvConfig["monitoring"];
  /** Drift thresholds the reconciliation holds runs to (`config.reconciliation.thresholds`), drawn on the dashboard. */
  readonly driftThresholds: EnvConfig["reconciliation"]["thresholds"];
  /** Parity canary thresholds (`config.reconciliation.parity`), in the alerts and on the dashboard. */
  readonly parityThresholds: EnvConfig["reconciliation"]["parity"];
  /** Name of the subscription that pushes to the enrichment function. */
  readonly enrichmentSubscription: string;
  /** Names of the subscriptions on the DLQ topics, where dead letters wait to be handled. */
  readonly deadLetterSubscriptions: readonly string[];
  /** Cloud Run service name of the enrichment function. */
  readonly enrichmentService: string;
  /** Cloud Run service name of the reconciliation function. */
  readonly reconciliationService: string;
  /** User labels on policies and channels (config labels + env). */
  readonly labels: ResourceLabels;
  /** Where docs/RUNBOOK.md is read, e.g. the repository's web URL of it. Default: "docs/RUNBOOK.md". */
  readonly runbookUrl?: string;
}

/**
 * Alerting and the dashboard for one environment: notification channels from config, one alert
 * policy per failure mode (each documented with its runbook section), log-based metrics for what
 * the functions report, and a dashboard of lag, freshness, DLQ backlog, errors and drift.
 */
export class Monitoring extends Construct {
  readonly channels: MonitoringNotificationChannel[];
  readonly metrics: LogMetrics;
  /** Alert policies by runbook anchor. */
  readonly policies: Record<keyof typeof RUNBOOK_ANCHORS, MonitoringAlertPolicy>;
  readonly dashboard: MonitoringDashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const s = props.settings;
    const runbook = props.runbookUrl ?? DEFAULT_RUNBOOK_URL;

    this.channels = s.notificationChannels.map((channel) => notificationChannel(this, { project: props.project, channel, labels: props.labels }));
    this.metrics = new LogMetrics(this, "log-metrics", {
      project: props.project,
      enrichmentService: props.enrichmentService,
      reconciliationService: props.reconciliationService,
    });
    const m = this.metrics;

    const policy = (key: keyof typeof RUNBOOK_ANCHORS, title: string, severity: "CRITICAL" | "ERROR" | "WARNING", what: string, conditions: MonitoringAlertPolicyConditions[]) =>
      new MonitoringAlertPolicy(this, `alert-${RUNBOOK_ANCHORS[key]}`, {
        project: props.project,
        displayName: `[${props.environment}] ${title}`,
        combiner: "OR",
        severity,
        conditions,
        notificationChannels: this.channels.map((c) => c.name),
        documentation: {
          mimeType: "text/markdown",
          subject: `[${props.environment}] ${title}`,
          content: `${what}\n\nRunbook: ${runbook}#${RUNBOOK_ANCHORS[key]}`,
        },
        alertStrategy: { autoClose: "86400s" },
        userLabels: { ...props.labels },
      });
    const threshold = (displayName: string, filter: string, value: number, duration: string, aligner: string, extra: Partial<MonitoringAlertPolicyConditions["conditionThreshold"]> = {}) => ({
      displayName,
      conditionThreshold: {
        filter,
        comparison: "COMPARISON_GT",
        thresholdValue: value,
        duration,
        aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: aligner }],
        ...extra,
      },
    });
    const logCount = (metric: LogMetrics["driftAlerts"]) =>
      `metric.type="${logMetricType(metric)}" AND resource.type="cloud_run_revision"`;
    // Fires on any logged line of a log-based counter within 5 minutes (one alert per run, summed over instances).
    const anyLogged = (displayName: string, metric: LogMetrics["driftAlerts"]) =>
      threshold(displayName, logCount(metric), 0, "0s", "ALIGN_SUM", { aggregations: [{ alignmentPeriod: "300s", perSeriesAligner: "ALIGN_SUM", crossSeriesReducer: "REDUCE_SUM" }] });
    const subscriptionMetric = (metric: string, subscriptions: string) =>
      `metric.type="pubsub.googleapis.com/subscription/${metric}" AND resource.type="pubsub_subscription" AND resource.label.subscription_id=${subscriptions}`;

    this.policies = {
      enrichmentLag: policy("enrichmentLag", "Enrichment lag", "CRITICAL", `The oldest unacked message on subscription ${props.enrichmentSubscription} is older than the freshness SLA (${s.freshnessSlaSeconds}s): curated data is going stale.`, [
        threshold(
          `oldest unacked message age > ${s.freshnessSlaSeconds}s`,
          subscriptionMetric("oldest_unacked_message_age", `"${props.enrichmentSubscription}"`),
          s.freshnessSlaSeconds,
          "120s",
          "ALIGN_MAX",
        ),
      ]),
      deadLetters: policy("deadLetters", "Dead letters waiting", "ERROR", "Messages are waiting on a dead-letter subscription: events were rejected or exhausted their delivery attempts and are not in curated.", [
        threshold(
          "undelivered messages on a DLQ subscription > 0",
          subscriptionMetric("num_undelivered_messages", `one_of(${props.deadLetterSubscriptions.map((n) => `"${n}"`).join(", ")})`),
          0,
          "0s",
          "ALIGN_MAX",
        ),
      ]),
      functionErrors: policy(
        "functionErrors",
        "Function error rate",
        "ERROR",
        `More than ${s.functionErrorRatio * 100}% of a function's requests fail with 5xx: Pub/Sub is redelivering and may dead-letter good events.`,
        [props.enrichmentService, props.reconciliationService].map((service) => {
          const requests = `metric.type="run.googleapis.com/request_count" AND resource.type="cloud_run_revision" AND resource.label.service_name="${service}"`;
          const rate = [{ alignmentPeriod: "300s", perSeriesAligner: "ALIGN_RATE", crossSeriesReducer: "REDUCE_SUM", groupByFields: ["resource.label.service_name"] }];
          return {
            displayName: `${service}: 5xx ratio > ${s.functionErrorRatio}`,
            conditionThreshold: {
              filter: `${requests} AND metric.label.response_code_class="5xx"`,
              denominatorFilter: requests,
              comparison: "COMPARISON_GT",
              thresholdValue: s.functionErrorRatio,
              duration: "300s",
              aggregations: rate,
              denominatorAggregations: rate,
            },
          };
        }),
      ),
      freshness: policy("freshness", "Freshness p99", "WARNING", `The p99 of ingest_time - occurred_at per flush exceeds ${s.freshnessP99Seconds}s: events reach curated late (publisher delay, backlog or slow writes).`, [
        threshold(`freshness p99 > ${s.freshnessP99Seconds}s`, logCount(m.enrichmentFreshnessP99), s.freshnessP99Seconds, "300s", "ALIGN_PERCENTILE_99", {
          aggregations: [{ alignmentPeriod: "300s", perSeriesAligner: "ALIGN_PERCENTILE_99" }],
        }),
      ]),
      drift: policy("drift", "Reconciliation drift", "ERROR", `A nightly run found the stream and the order ledger differ by more than the threshold (count ${props.driftThresholds.countDriftRatio}, revenue ${props.driftThresholds.revenueDriftRatio}).`, [
        anyLogged("drift alert logged", m.driftAlerts),
      ]),
      failure: policy("failure", "Reconciliation failed", "CRITICAL", "A reconciliation run errored, or the ledger partition did not land before the source deadline: the day is not reconciled.", [
        anyLogged("failed run logged", m.reconciliationFailures),
      ]),
      parityLostInEnrichment: policy(
        "parityLostInEnrichment",
        "Parity: lost in enrichment",
        "ERROR",
        `A nightly run found more than ${props.parityThresholds.lostInEnrichmentMax} events of the day in the raw mirror that are neither curated nor dead-lettered: the enrichment function acked them without writing. Also fires when the canary could not run (ERROR line event=parity_canary_failed).`,
        [
          anyLogged("lost-in-enrichment alert or canary failure logged", m.parityLostInEnrichmentAlerts),
        ],
      ),
      parityMismatch: policy(
        "parityMismatch",
        "Parity: recompute mismatch",
        "ERROR",
        `A nightly run re-enriched ${props.parityThresholds.recomputeSampleSize} sampled events of the day from the raw mirror and more than ${props.parityThresholds.mismatchMax} curated columns differ from the recompute: the stream wrote values the enrichment code and reference data do not give. Also fires when the canary could not run (ERROR line event=parity_canary_failed).`,
        [
          anyLogged("recompute mismatch alert or canary failure logged", m.parityMismatchAlerts),
        ],
      ),
      missingRun: policy("missingRun", "Nightly run missing", "CRITICAL", "No reconciliation run has finished for 26 hours: the scheduler, the trigger or the function is not running.", [
        {
          displayName: "no completed reconciliation run for 26h",
          conditionAbsent: {
            filter: logCount(m.reconciliationRuns),
            duration: MISSING_RUN_ABSENCE,
            aggregations: [{ alignmentPeriod: MISSING_RUN_WINDOW, perSeriesAligner: "ALIGN_SUM", crossSeriesReducer: "REDUCE_SUM" }],
          },
        },
      ]),
    };

    this.dashboard = new MonitoringDashboard(this, "dashboard", {
      project: props.project,
      environment: props.environment,
      enrichmentSubscription: props.enrichmentSubscription,
      deadLetterSubscriptions: props.deadLetterSubscriptions,
      services: [props.enrichmentService, props.reconciliationService],
      metrics: m,
      freshnessSlaSeconds: s.freshnessSlaSeconds,
      freshnessP99Seconds: s.freshnessP99Seconds,
      driftThresholds: props.driftThresholds,
      parityThresholds: props.parityThresholds,
    });
  }
}
