import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, normalize } from "node:path";
import { Testing } from "cdktf";
import { ENVIRONMENTS, loadConfig, type Environment } from "../../config";
import { bootstrapStackId } from "../../stacks/app";
import { BootstrapStack } from "../../stacks/bootstrap-stack";
import { apisFor, REQUIRED_APIS } from "../../stacks/required-apis";
import { synthAllEnvironments, type SynthesizedStack } from "./synth-pipeline";

type Tf = { terraform: { backend: Record<string, { path?: string }> }; resource: Record<string, Record<string, Record<string, unknown>>> };
let pipelines: Record<Environment, SynthesizedStack>;
let cleanup: () => void;
const bootstraps = {} as Record<Environment, Tf>;
let outdir: string;
beforeAll(() => {
  ({ stacks: pipelines, cleanup } = synthAllEnvironments());
  outdir = mkdtempSync(join(tmpdir(), "streamline-bootstrap-test-"));
  const app = Testing.app({ outdir });
  for (const env of ENVIRONMENTS) {
    const config = loadConfig(env);
    const stack = new BootstrapStack(app, bootstrapStackId(config), { config });
    bootstraps[env] = JSON.parse(Testing.synth(stack)) as Tf;
  }
});
afterAll(() => {
  cleanup();
  rmSync(outdir, { recursive: true, force: true });
});

describe.each(ENVIRONMENTS)("bootstrap of %s", (env) => {
  test("creates the bucket the pipeline stack keeps its state in: versioned, uniform access, never public, never destroyed", () => {
    const buckets = Object.values(bootstraps[env].resource.google_storage_bucket);
    expect(buckets).toHaveLength(1);
    const pipelineBackend = pipelines[env].tf.terraform.backend as { gcs: { bucket: string } };
    expect(buckets[0]).toMatchObject({
      name: pipelineBackend.gcs.bucket,
      versioning: { enabled: true },
      uniform_bucket_level_access: true,
      public_access_prevention: "enforced",
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
    expect(buckets[0].depends_on).toEqual([expect.stringMatching(/^google_project_service\.api-storage$/)]);
  });

  test("keeps its own state locally, outside cdktf.out (which a synth rewrites), at a machine-independent path", () => {
    const { local } = bootstraps[env].terraform.backend;
    expect(isAbsolute(local.path!)).toBe(false);
    // The state file lands in <repo>/bootstrap-state/, resolved from the stack folder cdktf.out/stacks/<id>/.
    expect(normalize(join("cdktf.out", "stacks", bootstrapStackId({ environment: env }), local.path!))).toBe(join("bootstrap-state", `${env}.tfstate`));
  });

  test("enables every API the pipeline stack needs, and never disables one on destroy", () => {
    const services = Object.values(bootstraps[env].resource.google_project_service);
    expect(services.map((s) => s.service).sort()).toEqual([...REQUIRED_APIS]);
    for (const s of services) expect(s).toMatchObject({ project: loadConfig(env).project, disable_on_destroy: false });
  });

  test("every resource and data type of the pipeline stack has its API in the list", () => {
    const types = [...Object.keys(pipelines[env].tf.resource), ...Object.keys(pipelines[env].tf.data ?? {})];
    const unlisted = types.filter((t) => apisFor(t) === undefined);
    expect(unlisted).toEqual([]);
    for (const t of types) for (const api of apisFor(t)!) expect(REQUIRED_APIS).toContain(api);
  });
});

test("a type with no API listed is reported, so a new kind of resource cannot ship unnoticed", () => {
  expect(apisFor("google_spanner_instance")).toBeUndefined();
  expect(apisFor("google_service_account_iam_member")).toEqual(["iam.googleapis.com"]);
  expect(apisFor("google_project_iam_member")).toEqual(["cloudresourcemanager.googleapis.com"]);
});
