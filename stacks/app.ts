import { App } from "cdktf";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, ENVIRONMENTS, loadConfig, type EnvConfig } from "../config";
import { ConstructPropsError } from "./constructs/construct-error";
import { BootstrapStack } from "./bootstrap-stack";
import { PipelineStack } from "./pipeline-stack";

export interface PipelineAppOptions {
  /** Repository root; sql/, dist/functions/ and package.json are resolved from it (not from __dirname, which moves when compiled). */
  readonly projectRoot: string;
  /** Where cdk.tf.json files are written. Default: $CDKTF_OUTDIR, else "cdktf.out" (cdktf's own default). */
  readonly outdir?: string;
  /** Folder with the function source zips (`<name>.zip`). Default: `<projectRoot>/dist/functions`. */
  readonly functionBundlesDir?: string;
}

/** The stack id of an environment, e.g. "streamline-dev" (what `cdktf deploy` takes). */
export function stackId(config: Pick<EnvConfig, "environment">): string {
  return `streamline-${config.environment}`;
}

/** The stack id of an environment's bootstrap (state bucket + APIs, local state), e.g. "streamline-dev-bootstrap". */
export function bootstrapStackId(config: Pick<EnvConfig, "environment">): string {
  return `${stackId(config)}-bootstrap`;
}

/** Validates every environment's config; throws ConfigError (naming env and field) before anything is built. */
export function loadAllConfigs(): EnvConfig[] {
  return ENVIRONMENTS.map((env) => loadConfig(env));
}

/** Builds one PipelineStack and one BootstrapStack per environment on a new App. Call `.synth()` on the result to write it. */
export function buildPipelineApp(configs: readonly EnvConfig[], options: PipelineAppOptions): App {
  // No construct stack traces: they are not written to cdk.tf.json and cost ~10% of synth time.
  const app = new App({ outdir: options.outdir, stackTraces: false });
  const pkg = JSON.parse(readFileSync(join(options.projectRoot, "package.json"), "utf8")) as { version: string };
  for (const config of configs) {
    new PipelineStack(app, stackId(config), {
      config,
      functionBundlesDir: options.functionBundlesDir ?? join(options.projectRoot, "dist", "functions"),
      sqlDir: join(options.projectRoot, "sql"),
      pipelineVersion: pkg.version,
    });
    new BootstrapStack(app, bootstrapStackId(config), { config });
  }
  return app;
}

/**
 * What `npm run synth` does: validate every environment's config, then build and write all stacks.
 * Returns the exit code; on an invalid config or construct props it reports the message (env and
 * field, or construct path) and writes nothing.
 */
export function synthMain(
  options: PipelineAppOptions,
  loadConfigs: () => EnvConfig[] = loadAllConfigs,
  report: (message: string) => void = (m) => console.error(m),
): number {
  try {
    const configs = loadConfigs();
    buildPipelineApp(configs, options).synth();
    return 0;
  } catch (err) {
    if (err instanceof ConfigError || err instanceof ConstructPropsError) {
      report(err.message);
      return 1;
    }
    // Stack validations (the guardrails) fail synth with every violation listed; the stack trace adds nothing.
    if (err instanceof Error && err.message.startsWith("Validation failed")) {
      report(err.message);
      return 1;
    }
    throw err;
  }
}
