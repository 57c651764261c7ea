import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { ENVIRONMENTS, loadConfig, type EnvConfig, type Environment } from "../../../config";
import { stackId } from "../../../stacks/app";
import type { TerraformJson } from "../../../stacks/terraform-json";
import { PipelineStack } from "../../../stacks/pipeline-stack";

const PROJECT_ROOT = path.resolve(__dirname, "..", "..", "..");

export interface ShippedStack {
  readonly config: EnvConfig;
  readonly id: string;
  /** cdk.tf.json as synthesized. */
  readonly tf: TerraformJson;
  /** Folder the stack's guardrails.json / guardrails.sarif were written to. */
  readonly reportDir: string;
}

/**
 * Synthesizes every environment's PipelineStack with validation on (so the guardrails run as in
 * `npm run synth`) into a temp outdir, with stub function bundles so no build is needed.
 */
export function synthShippedStacks(): { stacks: Record<Environment, ShippedStack>; cleanup: () => void } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "streamline-guardrails-"));
  const bundles = path.join(outdir, "bundles");
  for (const fn of ["enrichment", "reconciliation"]) {
    fs.mkdirSync(path.join(bundles, fn), { recursive: true });
    fs.writeFileSync(path.join(bundles, fn, "index.js"), "exports.stub = true;\n");
    fs.writeFileSync(path.join(bundles, fn, "package.json"), '{"name":"stub","main":"index.js"}\n');
    fs.copyFileSync(path.join(PROJECT_ROOT, "test", "stacks", "fixtures", "functions", `${fn}.zip`), path.join(bundles, `${fn}.zip`));
  }
  const app = Testing.app({ outdir });
  const stacks = {} as Record<Environment, ShippedStack>;
  for (const env of ENVIRONMENTS) {
    const config = loadConfig(env);
    const id = stackId(config);
    const stack = new PipelineStack(app, id, { config, functionBundlesDir: bundles, sqlDir: path.join(PROJECT_ROOT, "sql"), pipelineVersion: "0.0.0-test" });
    const tf = JSON.parse(Testing.synth(stack, true)) as TerraformJson;
    stacks[env] = { config, id, tf, reportDir: path.join(outdir, "stacks", id) };
  }
  return { stacks, cleanup: () => fs.rmSync(outdir, { recursive: true, force: true }) };
}
