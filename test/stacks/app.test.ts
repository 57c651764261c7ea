import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, parseConfig, RAW_CONFIGS } from "../../config";
import { synthMain } from "../../stacks/app";
import { FIXTURE_BUNDLES, PROJECT_ROOT } from "./synth-pipeline";

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "streamline-app-test-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test("writes one cdk.tf.json per environment, with the function archives next to it", () => {
  const outdir = join(dir, "out");
  expect(synthMain({ projectRoot: PROJECT_ROOT, outdir, functionBundlesDir: FIXTURE_BUNDLES })).toBe(0);
  expect(readdirSync(join(outdir, "stacks")).sort()).toEqual([
    "streamline-dev",
    "streamline-dev-bootstrap",
    "streamline-prod",
    "streamline-prod-bootstrap",
    "streamline-staging",
    "streamline-staging-bootstrap",
  ]);
  for (const env of ["dev", "staging", "prod"]) {
    const tf = JSON.parse(readFileSync(join(outdir, "stacks", `streamline-${env}`, "cdk.tf.json"), "utf8"));
    const archives = Object.values(tf.resource.google_storage_bucket_object as Record<string, { source: string }>);
    expect(archives).toHaveLength(2);
    for (const a of archives) expect(existsSync(join(outdir, "stacks", `streamline-${env}`, a.source))).toBe(true);
  }
});

test("an invalid config fails with its environment and field, and nothing is written", () => {
  const outdir = join(dir, "out");
  const messages: string[] = [];
  const badStaging = () => [loadConfig("dev"), parseConfig("staging", { ...RAW_CONFIGS.staging, project: undefined })];
  expect(synthMain({ projectRoot: PROJECT_ROOT, outdir, functionBundlesDir: FIXTURE_BUNDLES }, badStaging, (m) => messages.push(m))).toBe(1);
  expect(messages.join("\n")).toMatch(/invalid config for environment "staging":\n\s+- project:/);
  expect(existsSync(outdir)).toBe(false);
});

test("a missing function archive fails with the construct path and the command to run", () => {
  const messages: string[] = [];
  const code = synthMain({ projectRoot: PROJECT_ROOT, outdir: join(dir, "out"), functionBundlesDir: join(dir, "nothing") }, undefined, (m) => messages.push(m));
  expect(code).toBe(1);
  expect(messages[0]).toMatch(/^streamline-dev\/function-enrichment: no function archive at .*: run `npm run build:functions` first$/);
});
