import { LoggingMetric } from "@cdktf/provider-google/lib/logging-metric";
import { Construct } from "constructs";

/**
 * The structured log fields the functions write, which the log-based metrics below read. Keep in
 * step with functions/enrichment/curated-writer.ts and functions/reconciliation/reconcile.ts.
 */
export const LOG_FIELDS = {
  /** One line per curated flush: { event: "curated_flush", freshness_p99_s, ... }. */
  enrichmentFlushEvent: "curated_flush",
  enrichmentFreshnessP99: "jsonPayload.freshness_p99_s",
  /** INFO line at the end of every completed run: { event: "reconciliation_finished", status, drift ratios }. */
  reconciliationFinishedEvent: "reconciliation_finished",
  countDriftRatio: "jsonPayload.count_drift_ratio",
  revenueDriftRatio: "jsonPayload.revenue_drift_ratio",
  /** ERROR lines: { alert: "reconciliation_drift" | "reconciliation_late_source" } and { event: "reconciliation_failed" }. */
  driftAlert: "reconciliation_drift",
  lateSourceAlert: "reconciliation_late_source",
  failedEvent: "reconciliation_failed",
} as const;

export interface LogMetricsProps {
  /** GCP project id. */
  readonly project: string;
  /** Cloud Run service name of the enrichment function (a gen2 function runs as a Cloud Run service). */
  readonly enrichmentService: string;
  /** Cloud Run service name of the reconciliation function. */
  readonly reconciliationService: string;
}

/** `metric.type` of a user-defined log-based metric. */
export function logMetricType(metric: LoggingMetric): string {
  return `logging.googleapis.com/user/${metric.name}`;
}

const serviceLogs = (service: string) => `resource.type="cloud_run_revision" AND resource.labels.service_name="${service}"`;

// Seconds and ratios both span orders of magnitude: exponential buckets keep percentiles meaningful.
const exponential = (scale: number) => ({ exponentialBuckets: { numFiniteBuckets: 64, growthFactor: 1.4, scale } });

/** Log-based metrics for what Cloud Monitoring cannot see by itself: freshness, drift, runs, failures. */
export class LogMetrics extends Construct {
  /** Distribution of each flush's freshness p99 (ingest_time - occurred_at), seconds. */
  readonly enrichmentFreshnessP99: LoggingMetric;
  /** Count of completed reconciliation runs, labelled by status (pass, warn, fail). */
  readonly reconciliationRuns: LoggingMetric;
  /** Distribution of each run's count drift ratio. */
  readonly countDrift: LoggingMetric;
  /** Distribution of each run's revenue drift ratio. */
  readonly revenueDrift: LoggingMetric;
  /** Count of drift alerts (ERROR, alert="reconciliation_drift"). */
  readonly driftAlerts: LoggingMetric;
  /** Count of failed runs: errors, and a ledger partition that never landed. */
  readonly reconciliationFailures: LoggingMetric;

  constructor(scope: Construct, id: string, props: LogMetricsProps) {
    super(scope, id);
    const f = LOG_FIELDS;
    const enrichment = serviceLogs(props.enrichmentService);
    const reconciliation = serviceLogs(props.reconciliationService);
    // Structured fields, not message text: a reworded message must not silently stop a metric.
    const finished = `${reconciliation} AND jsonPayload.event="${f.reconciliationFinishedEvent}"`;

    this.enrichmentFreshnessP99 = new LoggingMetric(this, "enrichment-freshness-p99", {
      project: props.project,
      name: "streamline_enrichment_freshness_p99",
      description: "Per flush: p99 of ingest_time - occurred_at over the flushed rows, seconds.",
      filter: `${enrichment} AND jsonPayload.event="${f.enrichmentFlushEvent}" AND ${f.enrichmentFreshnessP99}>=0`,
      valueExtractor: `EXTRACT(${f.enrichmentFreshnessP99})`,
      bucketOptions: exponential(0.01),
      metricDescriptor: { metricKind: "DELTA", valueType: "DISTRIBUTION", unit: "s" },
    });
    this.reconciliationRuns = new LoggingMetric(this, "reconciliation-runs", {
      project: props.project,
      name: "streamline_reconciliation_runs",
      description: "Completed reconciliation runs, by status.",
      filter: finished,
      labelExtractors: { status: "EXTRACT(jsonPayload.status)" },
      metricDescriptor: { metricKind: "DELTA", valueType: "INT64", unit: "1", labels: [{ key: "status", valueType: "STRING", description: "pass, warn or fail" }] },
    });
    const drift = (id: string, name: string, field: string, what: string) =>
      new LoggingMetric(this, id, {
        project: props.project,
        name,
        description: `Per completed run: ${what} drift ratio |stream - ledger| / ledger.`,
        filter: `${finished} AND ${field}>=0`,
        valueExtractor: `EXTRACT(${field})`,
        bucketOptions: exponential(0.0001),
        metricDescriptor: { metricKind: "DELTA", valueType: "DISTRIBUTION", unit: "1" },
      });
    this.countDrift = drift("count-drift", "streamline_reconciliation_count_drift", f.countDriftRatio, "order count");
    this.revenueDrift = drift("revenue-drift", "streamline_reconciliation_revenue_drift", f.revenueDriftRatio, "revenue");
    this.driftAlerts = new LoggingMetric(this, "drift-alerts", {
      project: props.project,
      name: "streamline_reconciliation_drift_alerts",
      description: "Runs whose drift breached a threshold (ERROR lines with alert=reconciliation_drift).",
      filter: `${reconciliation} AND severity>=ERROR AND jsonPayload.alert="${f.driftAlert}"`,
      metricDescriptor: { metricKind: "DELTA", valueType: "INT64", unit: "1" },
    });
    this.reconciliationFailures = new LoggingMetric(this, "reconciliation-failures", {
      project: props.project,
      name: "streamline_reconciliation_failures",
      description: "Runs that errored, or found no ledger partition past the source deadline.",
      filter: `${reconciliation} AND severity>=ERROR AND (jsonPayload.event="${f.failedEvent}" OR jsonPayload.alert="${f.lateSourceAlert}")`,
      metricDescriptor: { metricKind: "DELTA", valueType: "INT64", unit: "1" },
    });
  }
}
