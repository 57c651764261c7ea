import { Testing } from "cdktf";
// Brings the matchers' type declarations (jest.Matchers augmentation) into the program.
import type {} from "cdktf/lib/testing/adapters/jest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ENVIRONMENTS, loadConfig, type EnvConfig, type Environment } from "../../config";
import { stackId } from "../../stacks/app";
import { PipelineStack } from "../../stacks/pipeline-stack";

// cdktf's jest matchers (toHaveResourceWithProperties, ...): partial only at the top level.
Testing.setupJest();

export const PROJECT_ROOT = resolve(__dirname, "..", "..");
/** Tiny stand-ins for the function source zips (`<name>.zip`), so stack tests need no `npm run build:functions`. */
export const FIXTURE_BUNDLES = join(__dirname, "fixtures", "functions");

type Body = Record<string, unknown> & { "//"?: unknown };
export interface SynthesizedStack {
  config: EnvConfig;
  /** cdk.tf.json as a string (what the snapshot holds). */
  json: string;
  tf: { resource: Record<string, Record<string, Body>>; data: Record<string, Record<string, Body>>; terraform: Record<string, unknown>; provider: unknown };
}

/** Bodies of every resource of a type, e.g. all google_pubsub_topic. */
export function resourcesOf(s: SynthesizedStack, type: string): Body[] {
  return Object.values(s.tf.resource[type] ?? {});
}

/** The one resource of a type whose attribute `key` equals `value` (e.g. a topic by name). */
export function resourceWhere(s: SynthesizedStack, type: string, key: string, value: unknown): Body {
  const found = resourcesOf(s, type).filter((r) => r[key] === value);
  if (found.length !== 1) throw new Error(`expected one ${type} with ${key}=${JSON.stringify(value)}, found ${found.length}`);
  return found[0];
}

/** The Terraform reference `${type.<logical id>.attr}` of the resource whose attribute `key` equals `value`. */
export function refTo(s: SynthesizedStack, type: string, key: string, value: unknown, attr: string): string {
  const entry = Object.entries(s.tf.resource[type] ?? {}).find(([, r]) => r[key] === value);
  if (!entry) throw new Error(`no ${type} with ${key}=${JSON.stringify(value)}`);
  return `\${${type}.${entry[0]}.${attr}}`;
}

/**
 * Synthesizes the pipeline stack of every environment once (share the result across a file's tests)
 * into a temporary outdir; call `cleanup` in afterAll.
 */
export function synthAllEnvironments(): { stacks: Record<Environment, SynthesizedStack>; cleanup: () => void } {
  const outdir = mkdtempSync(join(tmpdir(), "streamline-stack-test-"));
  const app = Testing.app({ outdir });
  const stacks = {} as Record<Environment, SynthesizedStack>;
  for (const env of ENVIRONMENTS) {
    const config = loadConfig(env);
    const stack = new PipelineStack(app, stackId(config), {
      config,
      functionBundlesDir: FIXTURE_BUNDLES,
      sqlDir: join(PROJECT_ROOT, "sql"),
      pipelineVersion: "0.0.0-test",
    });
    const json = Testing.synth(stack);
    stacks[env] = { config, json, tf: JSON.parse(json) };
  }
  return { stacks, cleanup: () => rmSync(outdir, { recursive: true, force: true }) };
}
