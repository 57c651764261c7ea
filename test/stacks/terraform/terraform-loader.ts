import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The only failure acceptable offline: the provider cannot be found in the (empty) mirror. */
const PROVIDER_LOOKUP_ONLY = /Failed to query available provider packages[\s\S]*was not\s+found in any of the search locations/;

export interface LoaderResult {
  /** Terraform's own `Error:` blocks other than the provider lookup (empty = the configuration loaded). */
  readonly errors: string[];
  /** Wall-clock time of `terraform init`, ms. */
  readonly ms: number;
}

/**
 * Hands a stack folder (with its cdk.tf.json) to Terraform's configuration loader:
 * `terraform init -backend=false` with a CLI config whose provider installation is a filesystem mirror
 * on an empty folder. Terraform parses and checks the whole configuration before it looks for
 * providers, so any error it reports besides the provider lookup is a defect `cdktf deploy` would hit.
 * Terraform's working data goes to a temp TF_DATA_DIR that is removed afterwards (no `.terraform` left).
 */
export function loadWithTerraform(stackDir: string, terraformBin = "terraform"): LoaderResult {
  const scratch = mkdtempSync(join(tmpdir(), "streamline-tf-loader-"));
  try {
    const mirror = join(scratch, "empty-mirror");
    mkdirSync(mirror);
    const cliConfig = join(scratch, "offline.tfrc");
    writeFileSync(cliConfig, `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["*/*/*"]\n  }\n}\n`);
    const started = performance.now();
    const run = spawnSync(terraformBin, ["init", "-backend=false", "-input=false", "-no-color"], {
      cwd: stackDir,
      encoding: "utf8",
      env: { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, TF_DATA_DIR: join(scratch, "data"), TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" },
    });
    const ms = performance.now() - started;
    if (run.error) {
      const missing = (run.error as NodeJS.ErrnoException).code === "ENOENT";
      throw new Error(
        missing
          ? `${terraformBin} is not on PATH: install Terraform 1.11 (https://developer.hashicorp.com/terraform/install); the stack tests need its configuration loader`
          : `terraform init could not run: ${run.error.message}`,
      );
    }
    const output = `${run.stdout}\n${run.stderr}`;
    if (run.status === 0) return { errors: [], ms };
    const errors = errorBlocks(output).filter((b) => !PROVIDER_LOOKUP_ONLY.test(b) && !b.startsWith("Error: Terraform encountered problems during initialisation"));
    // A non-zero exit with no provider-lookup error is a failure too, even if it printed no `Error:` block.
    if (errors.length === 0 && !PROVIDER_LOOKUP_ONLY.test(output)) errors.push(output.trim());
    return { errors, ms };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Terraform's `Error: <summary>` blocks with their `on <file> line N, in <address>` line (source excerpt dropped). */
function errorBlocks(output: string): string[] {
  const blocks = output.split(/\n(?=(?:[│╷╵]\s*)?Error: )/).filter((b) => /^(?:[│╷╵]\s*)?Error: /.test(b.trimStart()));
  return blocks.map((b) =>
    b
      .split("\n")
      .map((line) => line.replace(/^[│╷╵]\s?/, ""))
      .filter((line) => !/^\s*\d+:\s/.test(line)) // the offending source line: cdk.tf.json lines can be very long
      .join("\n")
      .trim(),
  );
}
