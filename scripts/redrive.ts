// npm run redrive -- --from 2026-12-01T00:00:00Z --to 2026-12-02T00:00:00Z --dry-run              letters per reason (local warehouse)
// npm run redrive -- --from ... --to ... --reason max_delivery_attempts                              re-publish to commerce-events-replay
// npm run redrive -- --from ... --to ... --target bigquery --env prod [--force]                      from BigQuery's ops.dead_letters
import { Command } from "commander";
import { userInfo } from "node:os";
import { loadConfig } from "../config";
import { REPLAY_TOPIC } from "../contracts/replay";
import { operatorRunId, positiveOption, runMain, timestampOption } from "./replay/cli-options";
import { publishingExitCode, runPublishing } from "./replay/publishing-run";
import { redriveDeadLetters, type RedriveSummary } from "./replay/redrive";
import { withWarehouseTargetOptions, type WarehouseTargetOptions } from "./warehouse-target-options";


const program = withWarehouseTargetOptions(
  new Command("redrive")
    .description("Re-publish dead letters (ops.dead_letters, after a fix) to the replay topic and record them in ops.redrives.")
    .requiredOption("--from <timestamp>", "dead letters published at or after", timestampOption)
    .requiredOption("--to <timestamp>", "dead letters published before", timestampOption)
    .option("--reason <reason>", "only letters of this reason (e.g. schema_violation, max_delivery_attempts)")
    .option("--force", "include letters an earlier redrive already re-published")
    .option("--dry-run", "print the letters per reason; publish and record nothing"),
  { target: "warehouse holding ops.dead_letters", env: "config/<env>.ts to take the project from", project: "GCP project (default: the environment's)" },
)
  .option("--rate <n>", "messages per second, at most", positiveOption, 200)
  .option("--operator <who>", "recorded in ops.redrives", process.env.USER ?? userInfo().username)
  .showHelpAfterError();

interface Opts extends WarehouseTargetOptions {
  from: string;
  to: string;
  reason?: string;
  force?: boolean;
  dryRun?: boolean;
  rate: number;
  operator: string;
}

export function describeRedrive(s: RedriveSummary): string[] {
  const reasons = Object.entries(s.byReason).map(([r, n]) => `  ${r}  ${n}`);
  if (s.dryRun) return [`redrive dry-run: ${s.letters} dead letters selected`, ...reasons];
  return [
    ...reasons,
    `redrive ${s.runId}: letters=${s.letters} published=${s.published} failed=${s.failed.length} recorded=${s.recorded} wall_ms=${s.wallMs}`,
    ...s.failed.slice(0, 10).map((f) => `  not published: ${f.messageId}: ${f.error}`),
  ];
}

async function main(): Promise<number> {
  const o = program.parse().opts<Opts>();
  const config = loadConfig(o.env);
  const summary = await runPublishing(
    o,
    config,
    REPLAY_TOPIC,
    "redrive {bar} {value}/{total} letters",
    (deps, onProgress) =>
      redriveDeadLetters(deps, {
        from: o.from,
        to: o.to,
        reason: o.reason ?? null,
        force: o.force,
        dryRun: o.dryRun,
        runId: operatorRunId("redrive"),
        operator: o.operator,
        rate: o.rate,
        onProgress,
      }),
    describeRedrive,
  );
  if (!o.dryRun && summary.letters === 0 && !o.force) process.stdout.write("nothing to redrive (letters already redriven are left out; --force repeats them)\n");
  return publishingExitCode(summary);
}

if (require.main === module) runMain(main);
