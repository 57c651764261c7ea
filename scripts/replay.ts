// npm run replay -- --from 2026-12-01T10:00:00Z --to 2026-12-01T11:00:00Z --dry-run    counts per hour (local warehouse)
// npm run replay -- --from ... --to ... --rate 200                                       re-publish to commerce-events-replay
// npm run replay -- --from ... --to ... --target bigquery --env prod                     from BigQuery's raw mirror
// npm run replay -- --seek 2026-12-01T10:00:00Z                                          fast path: seek the live subscription
import { Command, Option } from "commander";
import { ENVIRONMENTS, loadConfig, type Environment } from "../config";
import { REPLAY_TOPIC } from "../contracts/replay";
import { PubSubMessagePublisher } from "./replay/message-publisher";
import { loadReplaySql } from "./replay/replay-sql";
import { replayWindow, type ReplaySummary } from "./replay/replay-window";
import { seekSubscription } from "./replay/seek";
import { DEFAULT_STATE_DIR, STATE_DIR_OPTION } from "../local/pipeline/state-dir";
import { operatorRunId, positiveOption, progressBar, runMain, timestampOption } from "./replay/cli-options";
import { openWarehouse } from "./replay/warehouse-target";


const program = new Command("replay")
  .description("Re-publish a window of the raw mirror (raw.commerce_events) to the replay topic, or seek the live subscription.")
  .option("--from <timestamp>", "window start, inclusive (publish time)", timestampOption)
  .option("--to <timestamp>", "window end, exclusive (publish time)", timestampOption)
  .addOption(new Option("--target <target>", "warehouse holding the raw mirror").choices(["local", "bigquery"]).default("local"))
  .addOption(new Option("--env <environment>", "config/<env>.ts to take the project from").choices([...ENVIRONMENTS]).default("dev"))
  .option(STATE_DIR_OPTION, "state folder of the local warehouse (the one npm start wrote); must exist", DEFAULT_STATE_DIR)
  .option("--project <id>", "GCP project (default: the environment's)")
  .option("--rate <n>", "messages per second, at most", positiveOption, 500)
  .option("--dry-run", "print the messages per hour of the window; publish nothing")
  .option("--topic <name>", "topic to publish to", REPLAY_TOPIC)
  .option("--seek <timestamp>", "instead: seek the live subscription to this time (fast path within its retention)", timestampOption)
  .option("--subscription <name>", "subscription --seek applies to", "enrichment")
  .showHelpAfterError();

interface Opts {
  from?: string;
  to?: string;
  target: "local" | "bigquery";
  env: Environment;
  stateDir: string;
  project?: string;
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
  const { warehouse, close } = await openWarehouse(o, config);
  const publisher = new PubSubMessagePublisher({ projectId, topic: o.topic });
  const bar = progressBar("replay {bar} {value}/{total} messages | {eta}s left", !o.dryRun);
  try {
    const summary = await replayWindow(
      { warehouse, sql: loadReplaySql(), publisher },
      {
        from: o.from,
        to: o.to,
        runId: operatorRunId("replay"),
        rate: o.rate,
        dryRun: o.dryRun,
        onProgress: bar.onProgress,
      },
    );
    bar.stop();
    process.stdout.write(describeSummary(summary).join("\n") + "\n");
    return summary.failed.length === 0 ? 0 : 2;
  } finally {
    bar.stop();
    await publisher.close();
    await close();
  }
}

if (require.main === module) runMain(main);
