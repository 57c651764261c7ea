// `npm run bench:faults`: the local pipeline under faults (see local/faults/fault-run.ts). Prints the
// measured run; the last line is the summary the issue asks for. Exits 1 when an invariant fails.
import { Command, InvalidArgumentError } from "commander";
import { resolve } from "node:path";
import { faultLine, runFaultRun } from "../../local/faults/fault-run";

const number = (name: string, min: number, max = Infinity) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a number in [${min}, ${max}], got ${JSON.stringify(v)}`);
  return n;
};

const o = new Command()
  .name("npm run bench:faults --")
  .description("Stream a seeded day through the local pipeline while killing the enrichment process and failing, stopping and slowing its sink; check nothing is lost, duplicated or stranded.")
  .option("--events <n>", "messages to publish", number("--events", 100), 100_000)
  .option("--rate <r>", "publish rate, messages per second", number("--rate", 1), 800)
  .option("--seed <s>", "seed of the data, the kill times and nothing else", number("--seed", 1), 42)
  .option("--poison <share>", "share of poison messages", number("--poison", 0, 1), 0.05)
  .option("--duplicates <share>", "share of duplicates (a third each exact, re-stamped across local midnight, conflicting payload)", number("--duplicates", 0, 1), 0.1)
  .option("--kills <n>", "SIGKILLs of the enrichment process at random points while streaming", number("--kills", 0), 3)
  .option("--errors-at <s>", "20% transient sink errors start this many seconds into the stream (for --errors-seconds)", number("--errors-at", 0), 15)
  .option("--errors-seconds <s>", "how long the transient sink errors last", number("--errors-seconds", 0), 30)
  .option("--outage-at <s>", "the full sink outage starts this many seconds into the stream", number("--outage-at", 0), 55)
  .option("--outage-seconds <s>", "how long every insert call fails", number("--outage-seconds", 0), 20)
  .option("--slow-at <s>", "the slow-sink phase starts this many seconds into the stream", number("--slow-at", 0), 85)
  .option("--slow-seconds <s>", "how long every insert call takes 2 s longer", number("--slow-seconds", 0), 10)
  .option("--max-backlog <n>", "publishing pauses while more messages than this are published but not yet handled", number("--max-backlog", 1), 1000)
  .option("--state-dir <dir>", "folder for the warehouse, function logs and the fault plan", ".state/faults")
  .parse(process.argv.slice(2), { from: "user" })
  .opts<Record<string, number> & { stateDir: string }>();

async function main(): Promise<void> {
  const result = await runFaultRun({
    events: o.events,
    rate: o.rate,
    seed: o.seed,
    poisonShare: o.poison,
    duplicateShare: o.duplicates,
    kills: o.kills,
    maxBacklog: o.maxBacklog,
    sinkErrors: o.errorsSeconds > 0 ? { atS: o.errorsAt, seconds: o.errorsSeconds, share: 0.2 } : undefined,
    sinkOutage: o.outageSeconds > 0 ? { atS: o.outageAt, seconds: o.outageSeconds } : undefined,
    slowSink: o.slowSeconds > 0 ? { atS: o.slowAt, seconds: o.slowSeconds, delayMs: 2000 } : undefined,
    stateDir: resolve(o.stateDir),
  });
  console.log(`duplicates by kind: ${JSON.stringify(result.duplicatesByKind)}`);
  console.log(`dedup view rows ${result.dedupViewRows}, dead letter rows ${result.deadLetterRows} (poison missing ${result.dlqMissing}, unexpected ${result.dlqUnexpected}), drained ${result.drained ? "yes" : "no"}`);
  console.log(`timings (s): ${JSON.stringify(result.timingsS)}`);
  console.log(faultLine(result));
  const ok = result.lost === 0 && result.duplicated === 0 && result.stranded === 0 && result.dlqExact;
  process.exit(ok ? 0 : 1);
}

main().catch((e: unknown) => {
  console.error(`bench:faults failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  // The exit hook of local/processes/managed-process.ts stops whatever is still running, by PID.
  process.exit(2);
});
