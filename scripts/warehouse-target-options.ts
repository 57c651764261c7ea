import { Option, type Command } from "commander";
import { ENVIRONMENTS, type Environment } from "../config";
import { DEFAULT_STATE_DIR, STATE_DIR_OPTION } from "../local/pipeline/state-dir";

/** Which warehouse an operator command (reconcile, replay, redrive) runs against. */
export interface WarehouseTargetOptions {
  target: "local" | "bigquery";
  env: Environment;
  stateDir: string;
  project?: string;
}

/** Adds --target, --env, --state-dir and --project, each command saying what it takes from them. */
export function withWarehouseTargetOptions(program: Command, help: { target: string; env: string; project: string }): Command {
  return program
    .addOption(new Option("--target <target>", help.target).choices(["local", "bigquery"]).default("local"))
    .addOption(new Option("--env <environment>", help.env).choices([...ENVIRONMENTS]).default("dev"))
    .option(STATE_DIR_OPTION, "state folder of the local warehouse (the one npm start wrote); must exist", DEFAULT_STATE_DIR)
    .option("--project <id>", help.project);
}
