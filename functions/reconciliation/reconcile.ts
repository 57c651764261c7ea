import { randomUUID } from "node:crypto";
import { LOG_ALERTS, LOG_EVENTS, LOG_METRIC_FIELDS } from "../../contracts/log-events";
import { RUNBOOK_ANCHORS, runbookLink } from "../../contracts/runbook";
import type { Logger } from "../runtime/logger";
import type { QueryParam, QueryResult, Row, Warehouse } from "../runtime/warehouse";
import type { AlertPublisher, ReconciliationAlert } from "./alert-publisher";
import { countsByKind, examplesJson, topKPerKind, type DiscrepancyRow, type ExampleRow } from "./discrepancies";
import { breaches, decideStatus, driftRatios, driftTrend, type DriftThresholds, type PreviousRatios } from "./drift";
import { ledgerReadiness, type LedgerState } from "./ledger-gate";
import { dayCloseInstant } from "../../config/calendar-date";
import { numericTextOfNumber } from "../../contracts/numeric";
import { completedRunRecord, configHash, incompleteRunRecord, runRecordParams, type RunIdentity, type RunRecord } from "./run-record";
import { combineDiscrepancies, combineSummaries, shardParams } from "./shards";
import { PARITY_RUNBOOK, recomputeParity, streamParity } from "./parity-canaries";
import { referenceQueries, type ReconciliationSql } from "./sql-files";

/** The effective reconciliation settings (config.reconciliation plus who runs it). */
export interface ReconcileSettings {
  environment: string;
  /** Code version written to the run row and to repaired curated rows. */
  codeVersion: string;
  /** IANA zone of the schedule; the ledger deadline counts from run_date's end there. */
  timeZone: string;
  thresholds: DriftThresholds;
  /** Hours after a store's day closed that a streamed order still counts (as late_arrival). */
  lateAllowanceHours: number;
  /** USD amounts of one order differing by more than this are an amount_mismatch. */
  amountToleranceUsd: number;
  /** Hours after the day closed (timeZone) after which a missing ledger is recorded as late_source. */
  sourceDeadlineHours: number;
  /** Insert ledger orders missing from the stream into curated (source = ledger_repair). */
  repair: boolean;
  /** Example rows kept per discrepancy kind. */
  topK: number;
  /**
   * order_id hash shards the comparison runs as, one after another (>= 1), and event_id hash
   * shards of the stream parity canary. 1 in BigQuery; more locally, where ZetaSQL refuses requests
   * over 4 MiB. Results do not depend on it.
   */
  shards: number;
  /**
   * Parity canaries: lost_in_enrichment above lostInEnrichmentMax alerts, parity_mismatch above
   * mismatchMax; the recompute re-enriches recomputeSampleSize events with the enrichment's lateness threshold.
   */
  parity: { lostInEnrichmentMax: number; mismatchMax: number; recomputeSampleSize: number; lateThresholdSeconds: number };
}

export interface ReconcileDeps {
  warehouse: Warehouse;
  alerts: AlertPublisher;
  logger: Logger;
  sql: ReconciliationSql;
  /** Default: the system clock. */
  now?: () => Date;
  /** Default: a random UUID. */
  newRunId?: () => string;
}

/** One row of sql/reconciliation/summary.sql. */
export interface SummaryRow {
  dimension: "all" | "store" | "channel";
  dimension_value: string;
  stream_orders: number | null;
  ledger_orders: number | null;
  stream_revenue_usd: string | null;
  ledger_revenue_usd: string | null;
  /** Matched orders whose streamed row a replay or redrive wrote (they count as streamed). */
  replayed_orders: number | null;
}

export type ReconcileOutcome =
  /** The comparison ran; run.status is pass, warn or fail. */
  | {
      outcome: "completed";
      run: RunRecord;
      summary: SummaryRow[];
      examples: DiscrepancyRow[];
      repairedRows: number | null;
      /** Wall time of each shard's summary + discrepancies queries, ms. */
      shardWallMs: number[];
      /** Wall time of the parity canaries, ms (what they add to the run). */
      canaryWallMs: number;
    }
  /** The ledger export is not complete (see ledger-gate.ts) and the deadline has not passed: retry later. */
  | { outcome: "source_pending"; runDate: string; ledgerDeadline: string; reason: string }
  /** The ledger export is still not complete past the deadline: recorded (never as pass/fail) and alerted. */
  | { outcome: "late_source"; run: RunRecord };

/** Runbook sections the alerts point on-call to (headings of docs/RUNBOOK.md). */
export const RUNBOOK = {
  drift: runbookLink(RUNBOOK_ANCHORS.drift),
  lateSource: runbookLink(RUNBOOK_ANCHORS.failure),
} as const;

/** The settings that decide a run's result (hashed into config_hash). */
export function settingsHash(s: ReconcileSettings): string {
  // Sharding changes how the day is evaluated, not its result.
  const { environment: _e, codeVersion: _v, shards: _s, ...decisive } = s;
  return configHash(decisive);
}

/**
 * Reconciles one business day: completeness gate (ledger load marker), summary + discrepancies, optional repair, then the
 * run's rows (superseding earlier runs of the date) and an alert when drift breaches a threshold.
 * A failure withdraws what the attempt had written, records an `error` run beside the date's last
 * completed run (best effort) and is rethrown so the trigger retries.
 */
export async function reconcile(deps: ReconcileDeps, settings: ReconcileSettings, runDate: string): Promise<ReconcileOutcome> {
  if (!Number.isInteger(settings.shards) || settings.shards < 1) throw new Error(`reconcile: shards must be an integer >= 1, got ${settings.shards}`);
  const now = deps.now ?? (() => new Date());
  const id: RunIdentity = {
    run_id: (deps.newRunId ?? randomUUID)(),
    run_date: runDate,
    environment: settings.environment,
    code_version: settings.codeVersion,
    config_hash: settingsHash(settings),
    started_at: now(),
  };
  const log = deps.logger.child({ run_id: id.run_id, run_date: runDate });
  const bytes = new BytesCounter();
  const query = async <T extends Row>(sql: string, params: Record<string, QueryParam>) => bytes.add(await deps.warehouse.query<T>(sql, params));
  const runDateParam: QueryParam = { type: "DATE", value: runDate };

  // The run id whose rows are being written: a failure part-way withdraws them before recording the error.
  let recording: string | null = null;
  try {
    const [fresh] = (await query<LedgerState & Row>(deps.sql.ledgerFreshness, { run_date: runDateParam })).rows;
    const readiness = ledgerReadiness(runDate, fresh);
    if (!readiness.complete) {
      const deadline = new Date(dayCloseInstant(runDate, settings.timeZone).getTime() + settings.sourceDeadlineHours * 3_600_000);
      if (now() < deadline) {
        log.warn({ ledger_deadline: deadline.toISOString(), reason: readiness.reason }, "ledger export not complete yet; failing so the trigger retries");
        return { outcome: "source_pending", runDate, ledgerDeadline: deadline.toISOString(), reason: readiness.reason };
      }
      const message = `ledger not complete at ${now().toISOString()}, past the deadline ${deadline.toISOString()}: ${readiness.reason}`;
      const run = incompleteRunRecord(id, now(), "late_source", message, bytes.total());
      await writeRun(deps, run, []);
      await supersedeOthers(deps, run);
      await raise(deps, log, {
        alert: LOG_ALERTS.reconciliationLateSource,
        environment: id.environment,
        run_id: id.run_id,
        run_date: runDate,
        status: run.status,
        summary: message,
        runbook: RUNBOOK.lateSource,
      });
      return { outcome: "late_source", run };
    }

    const sideParams = { run_date: runDateParam, late_allowance_hours: { type: "INT64", value: settings.lateAllowanceHours } } as const;
    const previous = await query<PreviousRatios & Row>(deps.sql.previousRuns, { run_date: runDateParam });
    // Shards one after another: each is a complete comparison of its orders (see shards.ts).
    const shardSummaries: SummaryRow[][] = [];
    const shardFound: DiscrepancyRow[][] = [];
    const shardWallMs: number[] = [];
    for (let shard = 0; shard < settings.shards; shard++) {
      const started = performance.now();
      const params = { ...sideParams, ...shardParams(shard, settings.shards) };
      const [summary, found] = await Promise.all([
        query<SummaryRow & Row>(deps.sql.summary, params),
        query<DiscrepancyRow & Row>(deps.sql.discrepancies, {
          ...params,
          top_k: { type: "INT64", value: settings.topK },
          amount_tolerance: { type: "NUMERIC", value: numericTextOfNumber(settings.amountToleranceUsd) },
        }),
      ]);
      shardSummaries.push(summary.rows);
      shardFound.push(found.rows);
      shardWallMs.push(Math.round(performance.now() - started));
    }
    const summary = { rows: combineSummaries(shardSummaries) };
    const found = { rows: combineDiscrepancies(shardFound, settings.topK) };
    const overall = summary.rows.find((r) => r.dimension === "all");
    const stream = { orders: Number(overall?.stream_orders ?? 0), revenueUsd: Number(overall?.stream_revenue_usd ?? 0) };
    const ledger = { orders: Number(overall?.ledger_orders ?? 0), revenueUsd: Number(overall?.ledger_revenue_usd ?? 0) };
    const ratios = driftRatios(stream, ledger);
    const previousRatios = previous.rows.map((r) => ({
      count: (r as Row).count_drift_ratio as number | null,
      revenue: (r as Row).revenue_drift_ratio as number | null,
    }));
    const counts = countsByKind(found.rows);
    const examples = topKPerKind(found.rows, settings.topK);

    let repairedRows: number | null = null;
    if (settings.repair && counts.missing_in_stream + counts.explained_by_dlq > 0) {
      const merged = await query(deps.sql.repairMissingOrders, { run_date: runDateParam, code_version: { type: "STRING", value: settings.codeVersion } });
      repairedRows = merged.affectedRows ?? null;
      log.info({ repaired_rows: repairedRows }, "repair inserted ledger orders missing from the stream");
    }

    // Parity canary: the raw mirror against curated + dead letters (needs no ledger; see parity-canaries.ts).
    // A canary that cannot run (e.g. a local day over ZetaSQL's request cap) is logged and recorded as
    // not measured (null); it does not cost the night its ledger comparison.
    const streamStarted = performance.now();
    const parity = await streamParity(query, deps.sql.lostInEnrichment, { runDate, lateAllowanceHours: settings.lateAllowanceHours, topK: settings.topK, shards: settings.shards }).catch((e: unknown) => {
      log.error({ event: LOG_EVENTS.parityCanaryFailed, [LOG_METRIC_FIELDS.parityCanary]: "lost_in_enrichment", err: e }, "stream parity canary failed; lost_in_enrichment not measured");
      return { lostInEnrichment: null, examples: [] };
    });
    const recomputeStarted = performance.now();
    const streamParityMs = Math.round(recomputeStarted - streamStarted);
    const recompute = await recomputeParity(
      query,
      { sample: deps.sql.recomputeSample, reference: referenceQueries(deps.sql) },
      { runDate, sampleSize: settings.parity.recomputeSampleSize, lateThresholdSeconds: settings.parity.lateThresholdSeconds, topK: settings.topK, shards: settings.shards },
    ).catch((e: unknown) => {
      log.error({ event: LOG_EVENTS.parityCanaryFailed, [LOG_METRIC_FIELDS.parityCanary]: "parity_mismatch", err: e }, "recompute parity canary failed; parity_mismatch not measured");
      return { sampled: null, parityMismatch: null, examples: [] };
    });
    // Wall time per canary: what the canaries add to the night.
    const parityWallMs = { lost_in_enrichment: streamParityMs, parity_mismatch: Math.round(performance.now() - recomputeStarted) };
    const canaryWallMs = Math.round(performance.now() - streamStarted);

    const status = decideStatus(ratios, settings.thresholds);
    const run = completedRunRecord(id, now(), bytes.total(), {
      status,
      streamOrders: stream.orders,
      ledgerOrders: ledger.orders,
      streamRevenueUsd: String(overall?.stream_revenue_usd ?? "0"),
      ledgerRevenueUsd: String(overall?.ledger_revenue_usd ?? "0"),
      counts,
      ratios,
      thresholds: settings.thresholds,
      trend: driftTrend(ratios, previousRatios),
      lostInEnrichment: parity.lostInEnrichment,
      paritySampled: recompute.sampled,
      parityMismatch: recompute.parityMismatch,
    });
    recording = run.run_id;
    await writeRun(deps, run, [...examples, ...parity.examples, ...recompute.examples]);
    recording = null;
    await supersedeOthers(deps, run);
    log.info(
      {
        event: LOG_EVENTS.reconciliationFinished,
        [LOG_METRIC_FIELDS.status]: status,
        ...pick(run, "stream_orders", "ledger_orders"),
        replayed_orders: Number(overall?.replayed_orders ?? 0),
        [LOG_METRIC_FIELDS.countDriftRatio]: run.count_drift_ratio,
        [LOG_METRIC_FIELDS.revenueDriftRatio]: run.revenue_drift_ratio,
        counts,
        // Absent (not null) when not measured: the log-based metrics extract only lines that carry them.
        ...(parity.lostInEnrichment === null ? {} : { [LOG_METRIC_FIELDS.lostInEnrichment]: parity.lostInEnrichment }),
        ...(recompute.parityMismatch === null ? {} : { [LOG_METRIC_FIELDS.parityMismatch]: recompute.parityMismatch, parity_sampled: recompute.sampled }),
        shard_wall_ms: shardWallMs,
        parity_wall_ms: parityWallMs,
      },
      "reconciliation finished",
    );

    // What every alert of this run carries.
    const alertOf = { environment: id.environment, run_id: id.run_id, run_date: runDate, status };
    const breached = breaches(ratios, settings.thresholds);
    if (breached.length > 0) {
      await raise(deps, log, {
        alert: LOG_ALERTS.reconciliationDrift,
        ...alertOf,
        summary: `${id.environment} ${runDate}: ${breached.map((m) => `${m} drift ${(ratios[m] * 100).toFixed(2)}% > ${(m === "count" ? settings.thresholds.countDriftRatio : settings.thresholds.revenueDriftRatio) * 100}%`).join(", ")}`,
        runbook: RUNBOOK.drift,
        breached,
        count_drift_ratio: ratios.count,
        revenue_drift_ratio: ratios.revenue,
        counts,
      });
    }
    if (parity.lostInEnrichment !== null && parity.lostInEnrichment > settings.parity.lostInEnrichmentMax) {
      await raise(deps, log, {
        alert: LOG_ALERTS.parityLostInEnrichment,
        ...alertOf,
        summary: `${id.environment} ${runDate}: ${parity.lostInEnrichment} events in the raw mirror were neither curated nor dead-lettered (> ${settings.parity.lostInEnrichmentMax})`,
        runbook: PARITY_RUNBOOK.lostInEnrichment,
        lost_in_enrichment: parity.lostInEnrichment,
      });
    }
    if (recompute.parityMismatch !== null && recompute.parityMismatch > settings.parity.mismatchMax) {
      await raise(deps, log, {
        alert: LOG_ALERTS.parityMismatch,
        ...alertOf,
        summary: `${id.environment} ${runDate}: ${recompute.parityMismatch} columns of ${recompute.sampled} sampled curated events differ from their recompute from the raw mirror (> ${settings.parity.mismatchMax})`,
        runbook: PARITY_RUNBOOK.mismatch,
        parity_mismatch: recompute.parityMismatch,
        parity_sampled: recompute.sampled,
      });
    }
    return { outcome: "completed", run, summary: summary.rows, examples, repairedRows, shardWallMs, canaryWallMs };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    log.error({ event: LOG_EVENTS.reconciliationFailed, [LOG_METRIC_FIELDS.status]: "error", err: e }, "reconciliation failed");
    try {
      if (recording !== null) await withdrawRun(deps, runDate, recording);
      // Its own run id, and no superseding: the date's last completed run stays its result.
      const errorId = { ...id, run_id: (deps.newRunId ?? randomUUID)() };
      await writeRun(deps, incompleteRunRecord(errorId, now(), "error", message.slice(0, 4000), bytes.total()), []);
    } catch (recordError) {
      log.error({ err: recordError }, "could not record the error run");
    }
    throw e;
  }
}

const runKey = (runDate: string, runId: string) => ({ run_date: { type: "DATE", value: runDate }, run_id: { type: "STRING", value: runId } }) as const;

/** Writes a run's row and its example rows. Error and late_source runs only add to the history. */
async function writeRun(deps: ReconcileDeps, run: RunRecord, examples: ExampleRow[]): Promise<void> {
  await deps.warehouse.query(deps.sql.recordRun, runRecordParams(run));
  if (examples.length > 0) {
    const key = runKey(run.run_date, run.run_id);
    await deps.warehouse.query(deps.sql.recordDiscrepancies, { ...key, examples_json: { type: "STRING", value: examplesJson(examples) } });
  }
}

/**
 * After a result (completed or late_source) is fully written, deletes the date's runs that started
 * before the date's newest result, and their examples: whatever the overlap of two runs, the last
 * call leaves exactly one result, the run that started last. Runs first, so a failure in between
 * leaves only example rows of a superseded run behind, which the next call removes.
 */
async function supersedeOthers(deps: ReconcileDeps, run: RunRecord): Promise<void> {
  const date = { run_date: { type: "DATE", value: run.run_date } } as const;
  await deps.warehouse.query(deps.sql.supersedeRuns, date);
  await deps.warehouse.query(deps.sql.supersedeDiscrepancies, date);
}

/** Deletes what a run that failed part-way had written. */
async function withdrawRun(deps: ReconcileDeps, runDate: string, runId: string): Promise<void> {
  const key = runKey(runDate, runId);
  await deps.warehouse.query(deps.sql.withdrawDiscrepancies, key);
  await deps.warehouse.query(deps.sql.withdrawRun, key);
}

/** ERROR log line (the log-based alert matches `alert`) and a message on the alerts topic. */
async function raise(deps: ReconcileDeps, log: Logger, alert: ReconciliationAlert): Promise<void> {
  // run_id and run_date are already bound to `log`; repeating them would duplicate JSON keys.
  const { run_id: _runId, run_date: _runDate, ...fields } = alert;
  log.error(fields, alert.summary);
  try {
    await deps.alerts.publish(alert);
  } catch (e) {
    // The ERROR line already alerts through the log-based metric; a topic outage must not fail the run.
    log.error({ err: e, alert: alert.alert }, "could not publish the alert message");
  }
}

class BytesCounter {
  private sum = 0;
  private seen = false;
  add<T extends Row>(r: QueryResult<T>): QueryResult<T> {
    if (r.bytesProcessed !== undefined) {
      this.sum += r.bytesProcessed;
      this.seen = true;
    }
    return r;
  }
  total(): number | null {
    return this.seen ? this.sum : null;
  }
}

function pick<T extends object, K extends keyof T>(o: T, ...keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>;
}
