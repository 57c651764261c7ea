import { MonitoringDashboard as DashboardResource } from "@cdktf/provider-google/lib/monitoring-dashboard";
import { Construct } from "constructs";
import type { EnvConfig } from "../../config";
import { logMetricType, type LogMetrics } from "./log-metrics";

export interface MonitoringDashboardProps {
  /** GCP project id. */
  readonly project: string;
  /** Environment, in the dashboard's name. */
  readonly environment: EnvConfig["environment"];
  /** Subscription pushing to the enrichment function (lag panel). */
  readonly enrichmentSubscription: string;
  /** Subscriptions on the DLQ topics (backlog panel). */
  readonly deadLetterSubscriptions: readonly string[];
  /** Cloud Run service names of the functions (errors panel). */
  readonly services: readonly string[];
  /** Log-based metrics for freshness and drift. */
  readonly metrics: LogMetrics;
  /** SLA line on the lag panel, seconds. */
  readonly freshnessSlaSeconds: number;
  /** Alert line on the freshness panel, seconds. */
  readonly freshnessP99Seconds: number;
  /** Threshold lines on the drift panel. */
  readonly driftThresholds: EnvConfig["reconciliation"]["thresholds"];
  /** Threshold lines on the parity panels. */
  readonly parityThresholds: EnvConfig["reconciliation"]["parity"];
}

interface Series {
  readonly filter: string;
  readonly aligner: string;
  readonly alignmentPeriod?: string;
  readonly reducer?: string;
  readonly groupBy?: readonly string[];
  readonly legend?: string;
}

/** One xy chart: its title, series, y-axis label and threshold lines. */
function chart(title: string, yLabel: string, series: readonly Series[], thresholds: { value: number; label: string }[] = []) {
  return {
    title,
    xyChart: {
      dataSets: series.map((s) => ({
        plotType: "LINE",
        legendTemplate: s.legend,
        timeSeriesQuery: {
          timeSeriesFilter: {
            filter: s.filter,
            aggregation: {
              alignmentPeriod: s.alignmentPeriod ?? "60s",
              perSeriesAligner: s.aligner,
              crossSeriesReducer: s.reducer,
              groupByFields: s.groupBy,
            },
          },
        },
      })),
      thresholds,
      yAxis: { label: yLabel, scale: "LINEAR" },
    },
  };
}

const PANEL_WIDTH = 6;
const PANEL_HEIGHT = 4;

/** The pipeline's dashboard: lag, freshness, DLQ backlog, function errors, reconciliation drift, runs and parity canaries. */
export class MonitoringDashboard extends Construct {
  readonly dashboard: DashboardResource;

  constructor(scope: Construct, id: string, props: MonitoringDashboardProps) {
    super(scope, id);
    const m = props.metrics;
    const pubsub = (metric: string, subscriptions: string) =>
      `metric.type="pubsub.googleapis.com/subscription/${metric}" AND resource.type="pubsub_subscription" AND resource.label.subscription_id=${subscriptions}`;
    const requests = (service: string) => `metric.type="run.googleapis.com/request_count" AND resource.type="cloud_run_revision" AND resource.label.service_name="${service}"`;
    const user = (metric: LogMetrics["driftAlerts"]) => `metric.type="${logMetricType(metric)}" AND resource.type="cloud_run_revision"`;

    const widgets = [
      chart("Enrichment lag: oldest unacked message age", "seconds", [{ filter: pubsub("oldest_unacked_message_age", `"${props.enrichmentSubscription}"`), aligner: "ALIGN_MAX" }], [
        { value: props.freshnessSlaSeconds, label: "freshness SLA" },
      ]),
      chart("Freshness: ingest - occurred, per-flush p99", "seconds", [{ filter: user(m.enrichmentFreshnessP99), aligner: "ALIGN_PERCENTILE_99", alignmentPeriod: "300s" }], [
        { value: props.freshnessP99Seconds, label: "p99 alert" },
      ]),
      chart("DLQ backlog: undelivered dead letters", "messages", [
        {
          filter: pubsub("num_undelivered_messages", `one_of(${props.deadLetterSubscriptions.map((n) => `"${n}"`).join(", ")})`),
          aligner: "ALIGN_MAX",
          reducer: "REDUCE_SUM",
          groupBy: ["resource.label.subscription_id"],
        },
      ]),
      chart(
        "Function errors: 5xx per second",
        "requests/s",
        props.services.map((service) => ({
          filter: `${requests(service)} AND metric.label.response_code_class="5xx"`,
          aligner: "ALIGN_RATE",
          reducer: "REDUCE_SUM",
          groupBy: ["resource.label.service_name"],
        })),
      ),
      chart(
        "Reconciliation drift (per run)",
        "ratio",
        [
          { filter: user(m.countDrift), aligner: "ALIGN_PERCENTILE_99", alignmentPeriod: "3600s", legend: "count drift" },
          { filter: user(m.revenueDrift), aligner: "ALIGN_PERCENTILE_99", alignmentPeriod: "3600s", legend: "revenue drift" },
        ],
        [
          { value: props.driftThresholds.countDriftRatio, label: "count threshold" },
          { value: props.driftThresholds.revenueDriftRatio, label: "revenue threshold" },
        ],
      ),
      chart("Reconciliation runs by status", "runs", [
        { filter: user(m.reconciliationRuns), aligner: "ALIGN_SUM", alignmentPeriod: "3600s", reducer: "REDUCE_SUM", groupBy: ["metric.label.status"] },
      ]),
      chart("Parity: lost in enrichment (per run)", "events", [{ filter: user(m.parityLostInEnrichment), aligner: "ALIGN_PERCENTILE_99", alignmentPeriod: "3600s" }], [
        { value: props.parityThresholds.lostInEnrichmentMax, label: "alert above" },
      ]),
      chart("Parity: recompute mismatches (per run)", "columns", [{ filter: user(m.parityMismatch), aligner: "ALIGN_PERCENTILE_99", alignmentPeriod: "3600s" }], [
        { value: props.parityThresholds.mismatchMax, label: "alert above" },
      ]),
    ];

    const tiles = widgets.map((widget, i) => ({
      xPos: (i % 2) * PANEL_WIDTH,
      yPos: Math.floor(i / 2) * PANEL_HEIGHT,
      width: PANEL_WIDTH,
      height: PANEL_HEIGHT,
      widget,
    }));
    this.dashboard = new DashboardResource(this, "dashboard", {
      project: props.project,
      dashboardJson: JSON.stringify({ displayName: `streamline ${props.environment}: pipeline health`, mosaicLayout: { columns: 12, tiles } }),
    });
  }
}
