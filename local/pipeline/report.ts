import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DISCREPANCY_KINDS, type CuratedRow, type DeadLetterRow, type ReconciliationDiscrepancyRow, type ReconciliationRunRow } from "../../contracts";
import { distribution, type Distribution } from "../../functions/runtime/percentiles";
import type { DiscrepancyKind, InjectedKind } from "../generator/commerce-day";

/** What one local run did and found. report.json holds exactly this. */
export interface PipelineReport {
  seed: number;
  rate_per_second: number;
  run_date: string;
  started_at: string;
  /** When streaming started: the generated day is anchored on it (with the seed, it reproduces the data). */
  stream_started_at: string;
  duration_ms: number;
  /** Messages the topic accepted. */
  published: number;
  /** Messages the topic refused at publish (Avro schema); none expected from the generator. */
  publish_rejected: number;
  /** Rows the stream wrote to curated.commerce_events. */
  curated: number;
  /** Rows in ops.dead_letters. */
  dead_lettered: number;
  dead_letters_by_reason: Record<string, number>;
  /** Redeliveries/duplicates the enrichment function acked without writing (from its logs). */
  duplicates_dropped: number;
  /** Of those, copies whose payload differed from the written one (the function's `conflicting_copy` log events). */
  conflicting_copies: number;
  /** published == curated + dead_lettered + duplicates_dropped. */
  balanced: boolean;
  /** Rows the raw-mirror bridge wrote to raw.commerce_events (should equal published). */
  raw_mirrored: number;
  /** Whether every subscription drained before the timeout. */
  drained: boolean;
  /** ingest_time - occurred_at over the curated rows, in seconds. */
  freshness_s: Distribution | null;
  late_rows: number;
  enrichment_status: Record<string, number>;
  /** What the generator injected, by kind. */
  injected: Record<InjectedKind, number>;
  /** Injected poison messages and whether each reached ops.dead_letters with a reason. */
  poison: { injected: number; dead_lettered_with_reason: number; missing: string[] };
  /** Discrepancies the generator's drift must produce for run_date, by kind. */
  expected_discrepancies: Record<DiscrepancyKind, number>;
  /** Discrepancies the reconciliation found for run_date, by kind (orders). */
  reconciliation: Record<DiscrepancyKind, number>;
  reconciliation_matches_injected: boolean;
  reconciliation_run: {
    run_id: string;
    status: string;
    stream_orders: number | null;
    ledger_orders: number | null;
    stream_revenue_usd: string | null;
    ledger_revenue_usd: string | null;
    count_drift_ratio: number | null;
    revenue_drift_ratio: number | null;
    duration_ms: number;
    first_discrepancies: Pick<ReconciliationDiscrepancyRow, "kind" | "order_id" | "store_id" | "field" | "stream_value" | "ledger_value" | "detail">[];
  } | null;
  /** BigQuery subscriptions the run stood in for with a local bridge. */
  bridged: { subscription: string; table: string; rows: number }[];
  /** Deployed behaviours this run could not exercise. */
  not_exercised: string[];
  /** Restarts of each function process by its supervisor (it exited or stopped answering). */
  function_restarts?: Record<string, number>;
  /** Every process the run started, by PID (all stopped when the run ends, unless --keep-running). */
  processes: { name: string; pid: number }[];
  timings_ms: Record<string, number>;
}

export interface ReportInputs {
  curated: CuratedRow[];
  deadLetters: DeadLetterRow[];
  run: ReconciliationRunRow | undefined;
  discrepancies: ReconciliationDiscrepancyRow[];
  poisonEventIds: readonly string[];
}

const countBy = <T>(items: readonly T[], key: (t: T) => string): Record<string, number> =>
  items.reduce<Record<string, number>>((acc, t) => ((acc[key(t)] = (acc[key(t)] ?? 0) + 1), acc), {});

/** The measured parts of the report, from the warehouse's rows. */
export function measure(inputs: ReportInputs) {
  const curated = inputs.curated.filter((r) => r.source === "stream");
  const freshness = distribution(curated.map((r) => (Date.parse(r.ingest_time) - Date.parse(r.occurred_at)) / 1000));
  const deadLetterEventIds = new Set(
    inputs.deadLetters.filter((d) => d.reason).map((d) => eventIdOf(d.payload_string ?? Buffer.from(d.data ?? "", "base64").toString())),
  );
  const missingPoison = inputs.poisonEventIds.filter((id) => !deadLetterEventIds.has(id));
  const run = inputs.run;
  const reconciliation = Object.fromEntries(DISCREPANCY_KINDS.map((k) => [k, Number(run?.[k] ?? 0)])) as Record<DiscrepancyKind, number>;
  return {
    curated: curated.length,
    dead_lettered: inputs.deadLetters.length,
    dead_letters_by_reason: countBy(inputs.deadLetters, (d) => d.reason ?? "(none)"),
    freshness_s: freshness,
    late_rows: curated.filter((r) => r.is_late).length,
    enrichment_status: countBy(curated, (r) => r.enrichment_status),
    poison: { injected: inputs.poisonEventIds.length, dead_lettered_with_reason: inputs.poisonEventIds.length - missingPoison.length, missing: missingPoison },
    reconciliation,
    reconciliation_run: run
      ? {
          run_id: run.run_id,
          status: run.status,
          stream_orders: run.stream_orders ?? null,
          ledger_orders: run.ledger_orders ?? null,
          stream_revenue_usd: run.stream_revenue_usd ?? null,
          ledger_revenue_usd: run.ledger_revenue_usd ?? null,
          count_drift_ratio: run.count_drift_ratio ?? null,
          revenue_drift_ratio: run.revenue_drift_ratio ?? null,
          duration_ms: Number(run.duration_ms),
          first_discrepancies: firstPerKind(inputs.discrepancies.filter((d) => d.run_id === run.run_id), 3)
            .map((d) => ({ kind: d.kind, order_id: d.order_id, store_id: d.store_id, field: d.field, stream_value: d.stream_value, ledger_value: d.ledger_value, detail: d.detail })),
        }
      : null,
  };
}

/** The first `perKind` example rows of each kind, in the order the run wrote them. */
function firstPerKind(rows: readonly ReconciliationDiscrepancyRow[], perKind: number): ReconciliationDiscrepancyRow[] {
  const seen = new Map<string, number>();
  return rows.filter((r) => {
    const n = (seen.get(r.kind) ?? 0) + 1;
    seen.set(r.kind, n);
    return n <= perKind;
  });
}

function eventIdOf(payload: string): string | undefined {
  try {
    const id = (JSON.parse(payload) as { event_id?: unknown }).event_id;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}

const fmt = (n: number | null | undefined, digits = 3) => (n === null || n === undefined ? "-" : Number.isInteger(n) ? String(n) : n.toFixed(digits));

/** The report as Markdown (report.md, and what the run prints). */
export function renderMarkdown(r: PipelineReport): string {
  const lines = [
    `# streamline local run — ${r.run_date}`,
    "",
    `seed ${r.seed}, ${r.rate_per_second} msg/s, started ${r.started_at}, took ${(r.duration_ms / 1000).toFixed(1)} s${r.drained ? "" : " — **subscriptions did not drain before the timeout**"}`,
    "",
    "## Stream",
    "",
    "| measure | value |",
    "|---|---|",
    `| published | ${r.published}${r.publish_rejected ? ` (+${r.publish_rejected} rejected at publish)` : ""} |`,
    `| curated rows | ${r.curated} |`,
    `| dead letters | ${r.dead_lettered} |`,
    `| duplicates dropped | ${r.duplicates_dropped} |`,
    `| of which conflicting copies (same event_id, other payload) | ${r.conflicting_copies} |`,
    `| published = curated + dead letters + duplicates | ${r.balanced ? "yes" : "**NO**"} (${r.published} vs ${r.curated + r.dead_lettered + r.duplicates_dropped}) |`,
    `| raw mirror rows | ${r.raw_mirrored} |`,
    `| function restarts | ${Object.entries(r.function_restarts ?? {}).map(([k, v]) => `${k} ${v}`).join(", ") || "none"} |`,
    `| freshness p50 / p99 / max (s) | ${fmt(r.freshness_s?.p50)} / ${fmt(r.freshness_s?.p99)} / ${fmt(r.freshness_s?.max, 0)} |`,
    `| late rows (is_late) | ${r.late_rows} |`,
    `| enrichment status | ${Object.entries(r.enrichment_status).map(([k, v]) => `${k} ${v}`).join(", ")} |`,
    `| injected poison dead-lettered with a reason | ${r.poison.dead_lettered_with_reason} / ${r.poison.injected} |`,
    "",
    "Dead letters by reason: " + (Object.entries(r.dead_letters_by_reason).map(([k, v]) => `${k} ${v}`).join(", ") || "none"),
    "",
    "Injected: " + Object.entries(r.injected).map(([k, v]) => `${k} ${v}`).join(", "),
    "",
    "## Reconciliation",
    "",
  ];
  const run = r.reconciliation_run;
  if (!run) lines.push("No reconciliation run was recorded.");
  else {
    lines.push(
      `run ${run.run_id}: **${run.status}** — orders stream ${fmt(run.stream_orders)} vs ledger ${fmt(run.ledger_orders)}, revenue USD ${run.stream_revenue_usd ?? "-"} vs ${run.ledger_revenue_usd ?? "-"}, drift count ${fmt(run.count_drift_ratio, 4)} revenue ${fmt(run.revenue_drift_ratio, 4)}, ${run.duration_ms} ms`,
      "",
      "| kind | found | injected |",
      "|---|---|---|",
      ...DISCREPANCY_KINDS.map((k) => `| ${k} | ${r.reconciliation[k]} | ${r.expected_discrepancies[k]} |`),
      "",
      `Found exactly the injected drift: ${r.reconciliation_matches_injected ? "yes" : "**NO**"}`,
      "",
      "First discrepancies:",
      "",
      "| kind | order | store | field | stream | ledger | detail |",
      "|---|---|---|---|---|---|---|",
      ...run.first_discrepancies.map((d) => `| ${d.kind} | ${d.order_id} | ${d.store_id ?? ""} | ${d.field ?? ""} | ${d.stream_value ?? ""} | ${d.ledger_value ?? ""} | ${d.detail ?? ""} |`),
    );
  }
  lines.push(
    "",
    "## Bridged locally",
    "",
    ...r.bridged.map((b) => `- ${b.subscription} -> ${b.table}: ${b.rows} rows`),
    "",
    "## Not exercised locally",
    "",
    ...r.not_exercised.map((g) => `- ${g}`),
    "",
  );
  return lines.join("\n");
}

export function writeReport(stateDir: string, report: PipelineReport): { json: string; md: string } {
  mkdirSync(stateDir, { recursive: true });
  const json = join(stateDir, "report.json");
  const md = join(stateDir, "report.md");
  writeFileSync(json, JSON.stringify(report, null, 2) + "\n");
  writeFileSync(md, renderMarkdown(report));
  return { json, md };
}
