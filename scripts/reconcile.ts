// npm run reconcile -- --date 2024-05-02            one day, local warehouse (--state-dir, default .state/local)
// npm run reconcile -- --from 2024-05-01 --to 2024-05-07   catch-up over a range, with progress
// npm run reconcile -- --date 2024-05-02 --target bigquery --env prod   against BigQuery
// Exit codes: 0 pass, 1 fail (or warn with --fail-on warn), 2 ledger pending/late, 3 error, 64 usage.
import { SingleBar, Presets } from "cli-progress";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { loadConfig } from "../config";
import type { AlertPublisher, ReconciliationAlert } from "../functions/reconciliation/alert-publisher";
import { PubSubAlertPublisher } from "../functions/reconciliation/alert-publisher";
import { settingsFromConfig } from "../functions/reconciliation/env";
import { reconcile, type ReconcileOutcome } from "../functions/reconciliation/reconcile";
import { addDays, isCalendarDate } from "../config/calendar-date";
import { loadReconciliationSql } from "../functions/reconciliation/sql-files";
import { BigQueryWarehouse } from "../functions/runtime/bigquery-warehouse";
import { createLogger } from "../functions/runtime/logger";
import type { Warehouse } from "../functions/runtime/warehouse";
import { existingStateDir, warehouseDirOf } from "../local/pipeline/state-dir";
import { exitCodeOf, RECONCILE_EXIT, type DayResult, type FailOn } from "./reconcile-exit-code";
import { withWarehouseTargetOptions, type WarehouseTargetOptions } from "./warehouse-target-options";

const date = (v: string) => {
  if (!isCalendarDate(v)) throw new InvalidArgumentError("expected a calendar date YYYY-MM-DD");
  return v;
};

const shardCount = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected an integer >= 1");
  return n;
};

const program = withWarehouseTargetOptions(
  new Command("reconcile")
    .description("Reconcile the stream against the order ledger for one business day or a range of days.")
    .option("--date <YYYY-MM-DD>", "the business day to reconcile", date)
    .option("--from <YYYY-MM-DD>", "first day of a catch-up range (with --to)", date)
    .option("--to <YYYY-MM-DD>", "last day of a catch-up range, inclusive", date),
  { target: "warehouse to run against", env: "config/<env>.ts to take thresholds and settings from", project: "BigQuery project (default: the environment's)" },
)
  .option("--init", "create the state folder if it does not exist (an empty warehouse)")
  .addOption(new Option("--fail-on <status>", "lowest run status that exits 1").choices(["fail", "warn"]).default("fail"))
  .option("--repair", "insert ledger orders missing from the stream (overrides config)")
  .option("--shards <n>", "order_id hash shards to evaluate one after another (overrides config; large local days need more)", shardCount)
  .option("--alerts-topic <topic>", "also publish alerts to this Pub/Sub topic (honours PUBSUB_EMULATOR_HOST)")
  .option("--code-version <v>", "code version written to the run rows", process.env.STREAMLINE_PIPELINE_VERSION ?? "cli")
  .showHelpAfterError()
  .exitOverride();

interface Opts extends WarehouseTargetOptions {
  date?: string;
  from?: string;
  to?: string;
  init?: boolean;
  failOn: FailOn;
  repair?: boolean;
  shards?: number;
  alertsTopic?: string;
  codeVersion: string;
}

function daysOf(o: Opts): string[] {
  if (o.date && !o.from && !o.to) return [o.date];
  if (!o.date && o.from && o.to) {
    if (o.from > o.to) usage(`--from ${o.from} is after --to ${o.to}`);
    const days: string[] = [];
    for (let d = o.from; d <= o.to; d = addDays(d, 1)) days.push(d);
    return days;
  }
  return usage("give either --date, or --from and --to");
}

class UsageError extends Error {}
function usage(message: string): never {
  throw new UsageError(message);
}

/** Alerts of a CLI run go to stderr (the ERROR log line is printed too) and optionally to a topic. */
class CliAlertPublisher implements AlertPublisher {
  constructor(private readonly topic?: PubSubAlertPublisher) {}
  async publish(alert: ReconciliationAlert): Promise<void> {
    process.stderr.write(`ALERT ${alert.alert}: ${alert.summary} (runbook ${alert.runbook})\n`);
    await this.topic?.publish(alert);
  }
}

function describe(o: ReconcileOutcome): string {
  if (o.outcome === "source_pending") return `${o.runDate} source_pending: ${o.reason} (deadline ${o.ledgerDeadline})`;
  const r = o.run;
  if (o.outcome === "late_source") return `${r.run_date} late_source: ${r.error_message}`;
  const pct = (v: number | null) => (v === null ? "-" : `${(v * 100).toFixed(2)}%`);
  return (
    `${r.run_date} ${r.status} stream=${r.stream_orders} ledger=${r.ledger_orders} ` +
    `count_drift=${pct(r.count_drift_ratio)} revenue_drift=${pct(r.revenue_drift_ratio)} ` +
    `missing=${r.missing_in_stream} extra=${r.extra_in_stream} duplicate=${r.duplicate_in_stream} ` +
    `mismatch=${r.amount_mismatch} late=${r.late_arrival} dlq=${r.explained_by_dlq}` +
    ` replayed=${o.summary.find((x) => x.dimension === "all")?.replayed_orders ?? 0}` +
    (o.repairedRows !== null ? ` repaired=${o.repairedRows}` : "") +
    ` run_id=${r.run_id} ${r.duration_ms}ms`
  );
}

async function main(): Promise<number> {
  const o = program.parse().opts<Opts>();
  const days = daysOf(o);
  let stateDir = "";
  if (o.target === "local") {
    try {
      stateDir = existingStateDir(o.stateDir, { init: o.init });
    } catch (e) {
      usage((e as Error).message);
    }
  }
  const config = loadConfig(o.env);
  const settings = { ...settingsFromConfig(config, o.codeVersion), ...(o.repair ? { repair: true } : {}), ...(o.shards ? { shards: o.shards } : {}) };
  // Quiet by default: outcomes and alerts are printed as lines; LOG_LEVEL=info shows the JSON logs.
  const logger = createLogger({ level: (process.env.LOG_LEVEL as "info" | undefined) ?? "silent", base: { tool: "reconcile" } });
  const topic = o.alertsTopic ? new PubSubAlertPublisher({ projectId: o.project ?? config.project, topic: o.alertsTopic }) : undefined;

  let warehouse: Warehouse;
  let close = async () => {};
  if (o.target === "bigquery") {
    warehouse = new BigQueryWarehouse({ projectId: o.project ?? config.project, location: config.bigqueryLocation });
  } else {
    // Loaded only for local runs: the ZetaSQL server is a local tool.
    const { startZetaSql } = await import("../local/zetasql");
    const { LocalWarehouse } = await import("../local/warehouse/local-warehouse");
    const zetasql = await startZetaSql();
    warehouse = new LocalWarehouse({ stateDir: warehouseDirOf(stateDir), zetasql });
    close = () => zetasql.close();
  }

  const deps = { warehouse, alerts: new CliAlertPublisher(topic), logger, sql: loadReconciliationSql() };
  const bar = days.length > 1 ? new SingleBar({ format: "reconcile {bar} {value}/{total} days | {day}", stream: process.stderr }, Presets.shades_classic) : undefined;
  bar?.start(days.length, 0, { day: days[0] });
  const results: DayResult[] = [];
  try {
    for (const day of days) {
      try {
        const outcome = await reconcile(deps, settings, day);
        results.push({ outcome });
        bar?.increment({ day });
        process.stdout.write((bar ? "\n" : "") + describe(outcome) + "\n");
      } catch (e) {
        results.push({ error: e });
        process.stdout.write(`${day} error: ${(e as Error).message}\n`);
        bar?.increment({ day });
      }
    }
  } finally {
    bar?.stop();
    await close();
    await topic?.close();
  }
  return exitCodeOf(results, o.failOn);
}

main().then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : RECONCILE_EXIT.usage); // commander printed it
    console.error(e instanceof Error ? e.message : e);
    process.exit(e instanceof UsageError ? RECONCILE_EXIT.usage : RECONCILE_EXIT.error);
  },
);
