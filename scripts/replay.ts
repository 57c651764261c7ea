// npm run replay -- --from 2026-12-01T10:00:00Z --to 2026-12-01T11:00:00Z --dry-run    counts per hour (local warehouse)
// npm run replay -- --from ... --to ... --rate 200                                       re-publish to commerce-events-replay
// npm run replay -- --from ... --to ... --target bigquery --env prod                     from BigQuery's raw mirror
// npm run replay -- --seek 2026-12-01T10:00:00Z                                          fast path: seek the live subscription
import { Command } from "commander";
import { loadConfig } from "../config";
import { REPLAY_TOPIC } from "../contracts/replay";
import { operatorRunId, positiveOption, runMain, timestampOption } from "./replay/cli-options";
import { publishingExitCode, runPublishing } from "./replay/publishing-run";
import { replayWindow, type ReplaySummary } from "./replay/replay-window";
import { seekSubscription } from "./replay/seek";
import { withWarehouseTargetOptions, type WarehouseTargetOptions } from "./warehouse-target-options";


const program = withWarehouseTargetOptions(
  new Command("replay")
    .description("Re-publish a window of the raw mirror (raw.commerce_events) to the replay topic, or seek the live subscription.")
    .option("--from <timestamp>", "window start, inclusive (publish time)", timestampOption)
    .option("--to <timestamp>", "window end, exclusive (publish time)", timestampOption),
  { target: "warehouse holding the raw mirror", env: "config/<env>.ts to take the project from", project: "GCP project (default: the environment's)" },
)
  .option("--rate <n>", "messages per second, at most", positiveOption, 500)
  .option("--dry-run", "print the messages per hour of the window; publish nothing")
  .option("--topic <name>", "topic to publish to", REPLAY_TOPIC)
  .option("--seek <timestamp>", "instead: seek the live subscription to this time (fast path within its retention)", timestampOption)
  .option("--subscription <name>", "subscription --seek applies to", "enrichment")
  .showHelpAfterError();

interface Opts extends WarehouseTargetOptions {
  from?: string;
  to?: string;
  rate: number;
  dryRun?: boolean;
  topic: string;
  seek?: string;
  subscription: string;
}

export function describeSummary(s: ReplaySummary): string[] {
  const seconds = s.wallMs / 1000;
  const lines = s.hours.map((h) => `  ${h.hour}  ${h.messages}`);
  if (s.dryRun) return [`replay dry-run: window [${s.from}, ${s.to}) holds ${s.messages} messages`, "  hour (UTC)                messages", ...lines];
  return [
    ...lines,
    `replay ${s.runId}: window [${s.from}, ${s.to}) messages=${s.messages} published=${s.published} failed=${s.failed.length} ` +
      `wall_ms=${s.wallMs} rate_msg_s=${seconds > 0 ? Math.round(s.published / seconds) : 0}`,
    ...s.failed.slice(0, 10).map((f) => `  not published: ${f.messageId}: ${f.error}`),
  ];
}

async function main(): Promise<number> {
  const o = program.parse().opts<Opts>();
  const config = loadConfig(o.env);
  const projectId = o.project ?? config.project;
  if (o.seek) {
    if (o.from || o.to) program.error("--seek replaces --from/--to: give one or the other");
    await seekSubscription({ projectId, subscription: o.subscription, time: o.seek });
    process.stdout.write(`seek: subscription ${o.subscription} now redelivers what was published since ${o.seek} (within its retention)\n`);
    return 0;
  }
  if (!o.from || !o.to) return program.error("give --from and --to (or --seek)");
  const from = o.from;
  const to = o.to;
  const summary = await runPublishing(
    o,
    config,
    o.topic,
    "replay {bar} {value}/{total} messages | {eta}s left",
    (deps, onProgress) => replayWindow(deps, { from, to, runId: operatorRunId("replay"), rate: o.rate, dryRun: o.dryRun, onProgress }),
    describeSummary,
  );
  return publishingExitCode(summary);
}

if (require.main === module) runMain(main);
