import { LoggingMetric } from "@cdktf/provider-google/lib/logging-metric";
import { Construct } from "constructs";
import { LOG_ALERTS, LOG_EVENTS, LOG_METRIC_FIELDS } from "../../contracts/log-events";

/** A field of the structured JSON line in a Cloud Logging filter or extractor. */
const json = (field: string) => `jsonPayload.${field}`;

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

/** Log-based metrics for what Cloud Monitoring cannot see by itself: freshness, drift, parity, runs, failures. */
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
  /** Distribution of each run's lost_in_enrichment (stream parity canary), events. */
  readonly parityLostInEnrichment: LoggingMetric;
  /** Distribution of each run's parity_mismatch (recompute parity canary), columns. */
  readonly parityMismatch: LoggingMetric;
  /** Count of lost-in-enrichment alerts (ERROR, alert="parity_lost_in_enrichment") and of runs that could not measure it. */
  readonly parityLostInEnrichmentAlerts: LoggingMetric;
  /** Count of recompute mismatch alerts (ERROR, alert="parity_mismatch") and of runs that could not measure it. */
  readonly parityMismatchAlerts: LoggingMetric;

  constructor(scope: Construct, id: string, props: LogMetricsProps) {
    super(scope, id);
    const enrichment = serviceLogs(props.enrichmentService);
    const reconciliation = serviceLogs(props.reconciliationService);
    // Structured fields, not message text: a reworded message must not silently stop a metric.
    const finished = `${reconciliation} AND ${json("event")}="${LOG_EVENTS.reconciliationFinished}"`;

    this.enrichmentFreshnessP99 = new LoggingMetric(this, "enrichment-freshness-p99", {
      project: props.project,
      name: "streamline_enrichment_freshness_p99",
      description: "Per flush: p99 of ingest_time - occurred_at over the flushed rows, seconds.",
      filter: `${enrichment} AND ${json("event")}="${LOG_EVENTS.curatedFlush}" AND ${json(LOG_METRIC_FIELDS.freshnessP99)}>=0`,
      valueExtractor: `EXTRACT(${json(LOG_METRIC_FIELDS.freshnessP99)})`,
      bucketOptions: exponential(0.01),
      metricDescriptor: { metricKind: "DELTA", valueType: "DISTRIBUTION", unit: "s" },
    });
    this.reconciliationRuns = new LoggingMetric(this, "reconciliation-runs", {
      project: props.project,
      name: "streamline_reconciliation_runs",
      description: "Completed reconciliation runs, by status.",
      filter: finished,
      labelExtractors: { status: `EXTRACT(${json(LOG_METRIC_FIELDS.status)})` },
      metricDescriptor: { metricKind: "DELTA", valueType: "INT64", unit: "1", labels: [{ key: "status", valueType: "STRING", description: "pass, warn or fail" }] },
    });
    const drift = (id: string, name: string, field: string, what: string) =>
      new LoggingMetric(this, id, {
        project: props.project,
        name,
        description: `Per completed run: ${what} drift ratio |stream - ledger| / ledger.`,
        filter: `${finished} AND ${json(field)}>=0`,
        valueExtractor: `EXTRACT(${json(field)})`,
        bucketOptions: exponential(0.0001),
        metricDescriptor: { metricKind: "DELTA", valueType: "DISTRIBUTION", unit: "1" },
      });
    this.countDrift = drift("count-drift", "streamline_reconciliation_count_drift", LOG_METRIC_FIELDS.countDriftRatio, "order count");
    this.revenueDrift = drift("revenue-drift", "streamline_reconciliation_revenue_drift", LOG_METRIC_FIELDS.revenueDriftRatio, "revenue");
    this.driftAlerts = new LoggingMetric(this, "drift-alerts", {
      project: props.project,
      name: "streamline_reconciliation_drift_alerts",
      description: `Runs whose drift breached a threshold (ERROR lines with alert=${LOG_ALERTS.reconciliationDrift}).`,
      filter: `${reconciliation} AND severity>=ERROR AND ${json("alert")}="${LOG_ALERTS.reconciliationDrift}"`,
      metricDescriptor: { metricKind: "DELTA", valueType: "INT64", unit: "1" },
    });
    // Per run, from the finished line; a canary that could not run leaves its field out, so no sample.
    const canary = (id: string, name: string, field: string, what: string) =>
      new LoggingMetric(this, id, {
        project: props.project,
        name,
        description: `Per completed run: ${what}.`,
        filter: `${finished} AND ${json(field)}>=0`,
        valueExtractor: `EXTRACT(${json(field)})`,
        bucketOptions: exponential(1),
        metricDescriptor: { metricKind: "DELTA", valueType: "DISTRIBUTION", unit: "1" },
      });
    this.parityLostInEnrichment = canary(
      "parity-lost-in-enrichment",
      "streamline_parity_lost_in_enrichment",
      LOG_METRIC_FIELDS.lostInEnrichment,
      "raw-mirror events of the day neither curated nor dead-lettered (stream parity canary)",
    );
    this.parityMismatch = canary(
      "parity-mismatch",
      "streamline_parity_mismatch",
      LOG_METRIC_FIELDS.parityMismatch,
      "columns of the day's sampled curated rows that differ from their recompute (recompute parity canary)",
    );
    // A canary that cannot run alerts too: unmeasured night after night must not look like 0.
    const alertLines = (id: string, name: string, alert: string, canaryKind: string) =>
      new LoggingMetric(this, id, {
        project: props.project,
        name,
        description: `Runs whose ${canaryKind} exceeded its threshold (alert=${alert}) or could not be measured (event=${LOG_EVENTS.parityCanaryFailed}).`,
        filter: `${reconciliation} AND severity>=ERROR AND (${json("alert")}="${alert}" OR (${json("event")}="${LOG_EVENTS.parityCanaryFailed}" AND ${json(LOG_METRIC_FIELDS.parityCanary)}="${canaryKind}"))`,
        metricDescriptor: { metricKind: "DELTA", valueType: "INT64", unit: "1" },
      });
    this.parityLostInEnrichmentAlerts = alertLines(
      "parity-lost-in-enrichment-alerts",
      "streamline_parity_lost_in_enrichment_alerts",
      LOG_ALERTS.parityLostInEnrichment,
      LOG_METRIC_FIELDS.lostInEnrichment,
    );
    this.parityMismatchAlerts = alertLines("parity-mismatch-alerts", "streamline_parity_mismatch_alerts", LOG_ALERTS.parityMismatch, LOG_METRIC_FIELDS.parityMismatch);
    this.reconciliationFailures = new LoggingMetric(this, "reconciliation-failures", {
      project: props.project,
      name: "streamline_reconciliation_failures",
      description: "Runs that errored, or found no ledger partition past the source deadline.",
      filter: `${reconciliation} AND severity>=ERROR AND (${json("event")}="${LOG_EVENTS.reconciliationFailed}" OR ${json("alert")}="${LOG_ALERTS.reconciliationLateSource}")`,
      metricDescriptor: { metricKind: "DELTA", valueType: "INT64", unit: "1" },
    });
  }
}
