import { Testing } from "cdktf";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadConfig } from "../../config";
import { PipelineStack } from "../../stacks/pipeline-stack";
import type { TerraformJson } from "../../local/emulator/terraform-json";

const ROOT = resolve(__dirname, "../..");

/**
 * The dev stack's Terraform JSON, synthesized in-process: the emulator is provisioned from exactly
 * what deploys. Function archives are not under test here, so the bundles are placeholders.
 */
export function synthDevStack(): TerraformJson {
  const work = mkdtempSync(join(tmpdir(), "dev-synth-"));
  try {
    for (const fn of ["enrichment", "reconciliation"]) {
      mkdirSync(join(work, "bundles", fn), { recursive: true });
      writeFileSync(join(work, "bundles", fn, "index.js"), "// placeholder: the emulator test runs the function from source\n");
      // The stack takes the archive build:functions writes (<name>.zip); only its hash matters here.
      writeFileSync(join(work, "bundles", `${fn}.zip`), `placeholder archive of ${fn}\n`);
    }
    const app = Testing.app({ outdir: join(work, "out") });
    const stack = new PipelineStack(app, "streamline-dev", {
      config: loadConfig("dev"),
      functionBundlesDir: join(work, "bundles"),
      sqlDir: join(ROOT, "sql"),
      pipelineVersion: "test",
    });
    return JSON.parse(Testing.synth(stack)) as TerraformJson;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
