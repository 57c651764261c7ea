import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { startProcess } from "../processes/managed-process";
import type { TerraformJson } from "../../stacks/terraform-json";
import { buildOnceWhenStale } from "./build-once";

const ROOT = resolve(__dirname, "..", "..");

/** Where `npm run synth` writes the dev stack. */
export const DEV_STACK_JSON = join(ROOT, "cdktf.out", "stacks", "streamline-dev", "cdk.tf.json");

// Everything the synthesized JSON is derived from (function bundles hash into asset names).
const SYNTH_INPUTS = ["stacks", "config", "contracts", "sql", "functions", "scripts", "package.json", "package-lock.json"];

function newestMtimeMs(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, entry) => Math.max(m, newestMtimeMs(join(path, entry))), st.mtimeMs);
}

/** True when cdk.tf.json exists and is newer than every file it is synthesized from. */
export function devStackIsFresh(): boolean {
  if (!existsSync(DEV_STACK_JSON)) return false;
  const synthesizedAt = statSync(DEV_STACK_JSON).mtimeMs;
  return SYNTH_INPUTS.every((p) => newestMtimeMs(join(ROOT, p)) <= synthesizedAt);
}

/**
 * The dev stack's Terraform JSON: reused when fresh, else synthesized by running the app
 * (`npm run synth`: bundle the functions, then the CDKTF app) in its own process group.
 */
export async function synthesizedDevStack(log: (line: string) => void = () => undefined): Promise<{ tf: TerraformJson; synthesized: boolean }> {
  mkdirSync(join(ROOT, "dist"), { recursive: true });
  // Two local runs (or test suites) at once: one synthesizes, the other waits for it and reuses the result.
  const synthesized = await buildOnceWhenStale(join(ROOT, "dist", "synth.lock"), devStackIsFresh, async () => {
    log("synthesizing the dev stack (npm run synth) ...");
    const proc = startProcess("synth", "npm", ["run", "-s", "synth"], { cwd: ROOT });
    const code = await new Promise<number | null>((res) => {
      if (proc.child.exitCode !== null) res(proc.child.exitCode);
      else proc.child.once("exit", (c) => res(c));
    });
    if (code !== 0) throw new Error(`npm run synth failed (exit ${code}); it printed:\n${proc.output().slice(-4000)}`);
    if (!existsSync(DEV_STACK_JSON)) throw new Error(`npm run synth succeeded but wrote no ${DEV_STACK_JSON}`);
  });
  return { tf: JSON.parse(readFileSync(DEV_STACK_JSON, "utf8")) as TerraformJson, synthesized };
}
