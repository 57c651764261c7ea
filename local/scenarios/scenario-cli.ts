import { Command, InvalidArgumentError, Option } from "commander";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describeReplayScenario, replayScenarioHolds, runReplayScenario } from "./replay-scenario";

const positiveInt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return n;
};

/** `npm start -- --scenario replay [options]`: runs a scenario, prints its lines, writes scenario-<name>.json; exit code 0 when it holds. */
export async function runScenarioCli(argv: readonly string[]): Promise<number> {
  const o = new Command()
    .name("npm start -- --scenario")
    .addOption(new Option("--scenario <name>", "scenario to run").choices(["replay"]).makeOptionMandatory())
    .option("--events <n>", "messages of the streamed day", positiveInt("--events"), 600)
    .option("--lost <n>", "events the fault switch acks without writing", positiveInt("--lost"), 12)
    .option("--rejected <n>", "events the curated table refuses before the fix (dead-lettered, then redriven)", positiveInt("--rejected"), 8)
    .option("--rate <r>", "publish and replay rate, messages per second", positiveInt("--rate"), 500)
    .option("--seed <s>", "seed of the generated day", positiveInt("--seed"), 42)
    .option("--state-dir <dir>", "folder for the warehouse, logs and the scenario report", ".state/scenario-replay")
    .showHelpAfterError()
    .parse(argv as string[], { from: "user" })
    .opts<{ scenario: "replay"; events: number; lost: number; rejected: number; rate: number; seed: number; stateDir: string }>();
  const stateDir = resolve(o.stateDir);
  const report = await runReplayScenario({ events: o.events, lost: o.lost, rejected: o.rejected, rate: o.rate, seed: o.seed, stateDir, log: (l) => console.log(l) });
  const file = join(stateDir, "scenario-replay.json");
  writeFileSync(file, JSON.stringify(report, null, 2) + "\n");
  const holds = replayScenarioHolds(report);
  console.log("\n" + describeReplayScenario(report).join("\n"));
  console.log(`\nscenario replay: ${holds ? "holds" : "DOES NOT HOLD"} (report: ${file})`);
  return holds ? 0 : 2;
}
