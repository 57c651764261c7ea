import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ENVIRONMENTS, type Environment } from "../../config";
import { bootstrapStackId, buildPipelineApp, loadAllConfigs, stackId } from "../../stacks/app";
import { FIXTURE_BUNDLES, PROJECT_ROOT } from "./synth-pipeline";
import { interpolations, referencedAddresses, undeclaredReferences, type TerraformJson } from "./terraform/declared-references";
import { loadWithTerraform } from "./terraform/terraform-loader";

// Terraform's own loader judges what `npm run synth` writes: the same app, every environment.
let outdir: string;
const stackDir = (env: Environment) => join(outdir, "stacks", stackId({ environment: env }));
const readStack = (dir: string) => JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as TerraformJson & { resource: Record<string, Record<string, Record<string, unknown>>> };
const stackJson = (env: Environment) => readStack(stackDir(env));
const STACK_IDS = ENVIRONMENTS.flatMap((env) => [stackId({ environment: env }), bootstrapStackId({ environment: env })]);

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), "streamline-tf-stacks-"));
  buildPipelineApp(loadAllConfigs(), { projectRoot: PROJECT_ROOT, outdir, functionBundlesDir: FIXTURE_BUNDLES }).synth();
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

test("the app writes exactly the stacks checked here", () => {
  expect(readdirSync(join(outdir, "stacks")).sort()).toEqual([...STACK_IDS].sort());
});

describe.each(STACK_IDS)("%s", (id) => {
  test("Terraform's loader accepts cdk.tf.json (only the offline provider lookup fails)", () => {
    const { errors, ms } = loadWithTerraform(join(outdir, "stacks", id));
    expect(errors).toEqual([]);
    // Reported in the issue notes; the check itself takes ~0.05-0.2 s here.
    console.log(`terraform init (config loader) ${id}: ${ms.toFixed(0)} ms`);
  });

  test("every ${...} reference and depends_on names something the stack declares", () => {
    expect(undeclaredReferences(readStack(join(outdir, "stacks", id)))).toEqual([]);
  });
});

describe("planted defects are rejected", () => {
  /** A copy of the dev stack folder with `plant` applied to its JSON; removed afterwards. */
  function withPlanted(plant: (tf: ReturnType<typeof stackJson>) => void, check: (dir: string, tf: TerraformJson) => void): void {
    const dir = mkdtempSync(join(tmpdir(), "streamline-tf-planted-"));
    try {
      cpSync(stackDir("dev"), dir, { recursive: true });
      const tf = stackJson("dev");
      plant(tf);
      writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(tf, null, 2));
      check(dir, tf);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const firstOf = (tf: ReturnType<typeof stackJson>, type: string) => Object.entries(tf.resource[type])[0];

  test('a depends_on written as "${...}" fails with Terraform\'s "Invalid expression"', () => {
    withPlanted(
      (tf) => {
        const [, view] = firstOf(tf, "google_bigquery_table");
        const [tableName] = firstOf(tf, "google_pubsub_topic");
        view.depends_on = [`\${google_pubsub_topic.${tableName}}`];
      },
      (dir) => {
        const { errors } = loadWithTerraform(dir);
        expect(errors).toHaveLength(1);
        expect(errors[0]).toMatch(/^Error: Invalid expression\n[\s\S]*on cdk\.tf\.json line \d+, in resource\.google_bigquery_table\.[\w-]+\.depends_on:[\s\S]*A single static variable reference is required/);
      },
    );
  });

  test("invalid JSON syntax fails with Terraform's message", () => {
    const dir = mkdtempSync(join(tmpdir(), "streamline-tf-planted-"));
    try {
      writeFileSync(join(dir, "cdk.tf.json"), '{"resource": {"google_pubsub_topic": {"t": {"name": "x",}}}}');
      const { errors } = loadWithTerraform(dir);
      expect(errors.join("\n")).toMatch(/Error: .*(JSON|syntax|comma)/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a reference to an undeclared resource passes Terraform's loader but not our reference check", () => {
    withPlanted(
      (tf) => {
        const [name, topic] = firstOf(tf, "google_pubsub_topic");
        topic.name = "${google_pubsub_schema.never_declared.name}";
        topic.depends_on = ["google_bigquery_table.never_declared"];
        tf.resource.google_pubsub_topic[name] = topic;
      },
      (dir, tf) => {
        // Documents why the static check exists: without the provider schema Terraform lets it through.
        expect(loadWithTerraform(dir).errors).toEqual([]);
        const [name] = firstOf(tf as ReturnType<typeof stackJson>, "google_pubsub_topic");
        expect(undeclaredReferences(tf)).toEqual([
          `resource.google_pubsub_topic.${name}.name: google_pubsub_schema.never_declared`,
          `resource.google_pubsub_topic.${name}.depends_on: google_bigquery_table.never_declared`,
        ]);
      },
    );
  });
});

test("a missing terraform binary fails with a clear message, not a skip", () => {
  expect(() => loadWithTerraform(stackDir("dev"), "terraform-not-installed-here")).toThrow(/terraform-not-installed-here is not on PATH: install Terraform 1\.11/);
});

describe("reference parsing", () => {
  test("finds nested expressions and ignores string literals, built-ins and escaped $${", () => {
    const text = 'a-${jsonencode({k = "${var.inner}"})}-$${not.a_ref}-${data.google_project.p.number}';
    expect(interpolations(text)).toEqual(['jsonencode({k = "${var.inner}"})', "data.google_project.p.number"]);
    expect(referencedAddresses('lookup(var.m, "google_x.y")')).toEqual(["var.m"]);
    expect(referencedAddresses("google_x.y[0].attr.sub")).toEqual(["google_x.y"]);
    expect(referencedAddresses("each.value + count.index + local.l + module.m.out")).toEqual(["local.l", "module.m"]);
  });
});
