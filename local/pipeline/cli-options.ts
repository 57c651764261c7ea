import { Command, InvalidArgumentError } from "commander";
import { resolve } from "node:path";
import type { LocalPipelineOptions } from "./local-pipeline";
import { DEFAULT_STATE_DIR, STATE_DIR_OPTION } from "./state-dir";

export type CliOptions = Pick<LocalPipelineOptions, "events" | "rate" | "seed" | "stateDir" | "keepRunning">;

const positiveInt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return n;
};

/** `npm start -- [options]`: parsed and validated once, at the edge. */
export function parseCliOptions(argv: readonly string[]): CliOptions {
  const program = new Command()
    .name("npm start --")
    .description("Run the whole streamline pipeline on this machine: Pub/Sub emulator, ZetaSQL, both functions, a generated day, the nightly reconciliation, a report.")
    .option("--events <n>", "messages to publish (about 1% duplicates and 0.5% poison included)", positiveInt("--events"), 5000)
    .option("--rate <r>", "publish rate in messages per second", positiveInt("--rate"), 500)
    .option("--seed <s>", "seed of the generated day (the same seed gives the same data)", positiveInt("--seed"), 42)
    .option(STATE_DIR_OPTION, "folder for the local warehouse, function logs and report.json / report.md (created; npm run reconcile takes the same)", DEFAULT_STATE_DIR)
    .option("--keep-running", "leave the emulator and functions running after the report (Ctrl-C stops them)", false)
    .showHelpAfterError()
    .parse(argv as string[], { from: "user" });
  const o = program.opts<{ events: number; rate: number; seed: number; stateDir: string; keepRunning: boolean }>();
  return { events: o.events, rate: o.rate, seed: o.seed, stateDir: resolve(o.stateDir), keepRunning: o.keepRunning };
}
