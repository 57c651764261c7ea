import { validateWorkflow } from "@action-validator/core";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ENVIRONMENTS } from "../../config";
import { stackId } from "../../stacks/app";

// Every workflow file is checked offline by a schema validator (the GitHub workflow JSON schema,
// compiled into @action-validator/core), then against what this project promises about CI and deploys.
const ROOT = join(__dirname, "..", "..");
const DIR = join(ROOT, ".github", "workflows");
const FILES = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const text = (file: string) => readFileSync(join(DIR, file), "utf8");

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; if?: string; name?: string };
type Job = { uses?: string; with?: Record<string, unknown>; needs?: string | string[]; environment?: unknown; permissions?: Record<string, string>; steps?: Step[] };
type Workflow = { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, Job> };
const workflow = (file: string) => parse(text(file)) as Workflow;
const steps = (file: string) => Object.values(workflow(file).jobs).flatMap((j) => j.steps ?? []);
const action = (s: Step) => s.uses?.split("@")[0];

test("the workflows folder holds at least ci, deploy and its per-environment job", () => {
  expect(FILES).toEqual(expect.arrayContaining(["ci.yml", "deploy.yml", "deploy-environment.yml"]));
});

describe.each(FILES)("%s", (file) => {
  test("is a valid GitHub workflow (schema)", () => {
    expect(validateWorkflow(text(file)).errors).toEqual([]);
  });

  test("pins every action to a full commit SHA, with the version it is in a comment", () => {
    const refs = [...text(file).matchAll(/^\s*(?:-\s*)?uses:\s*(\S+)(.*)$/gm)].map(([, ref, rest]) => ({ ref, rest }));
    expect(refs).toHaveLength((text(file).match(/\buses:/g) ?? []).length);
    for (const { ref, rest } of refs.filter((r) => !r.ref.startsWith("./"))) {
      expect(`${ref}${rest}`).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });

  test("reads no long-lived key: no credentials_json or service account key", () => {
    expect(text(file)).not.toMatch(/credentials_json|GOOGLE_APPLICATION_CREDENTIALS|service_account_key/);
  });

  test("runs only npm scripts that exist", () => {
    const scripts = Object.keys((JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts);
    for (const [, name] of text(file).matchAll(/npm run (?:-s )?([\w:-]+)/g)) expect(scripts).toContain(name);
  });
});

test("the validator rejects a broken workflow (so a pass above means something)", () => {
  const broken = "name: x\non: [pull_requestt]\njobs:\n  a:\n    runs-onn: ubuntu-24.04\n    steps: []\n";
  const errors = validateWorkflow(broken).errors.map((e) => ("path" in e ? e.path : e.title));
  expect(errors).toEqual(expect.arrayContaining(["/on", "/jobs/a"]));
});

describe("ci.yml", () => {
  const ci = () => workflow("ci.yml");
  test("runs on pull requests with read-only contents, and only the test job may write code scanning alerts", () => {
    expect(ci().on).toHaveProperty("pull_request");
    expect(ci().permissions).toEqual({ contents: "read" });
    expect(ci().jobs.test.permissions).toEqual({ contents: "read", "security-events": "write", actions: "read" });
  });

  test("installs what the tests run for real, then runs what .ci/run runs, then synth", () => {
    const s = steps("ci.yml");
    expect(s.find((x) => action(x) === "actions/setup-java")?.with).toMatchObject({ "java-version": "17" });
    expect(String(s.find((x) => action(x) === "google-github-actions/setup-gcloud")?.with?.install_components)).toContain("pubsub-emulator");
    expect(s.find((x) => action(x) === "hashicorp/setup-terraform")?.with).toMatchObject({ terraform_wrapper: false });
    const runs = s.filter((x) => x.run).map((x) => x.run!.trim());
    const ciRun = readFileSync(join(ROOT, ".ci", "run"), "utf8");
    for (const cmd of ["npm run typecheck", "npm run lint", "npm test"]) {
      expect(ciRun).toContain(cmd);
      expect(runs).toContain(cmd);
    }
    expect(runs.some((r) => r.startsWith("npm ci"))).toBe(true);
    expect(runs.indexOf("npm run synth")).toBeGreaterThan(runs.indexOf("npm test"));
  });

  test("uploads the guardrail SARIF of every environment under its own category", () => {
    const uploads = steps("ci.yml").filter((x) => action(x) === "github/codeql-action/upload-sarif");
    expect(uploads.map((u) => u.with)).toEqual(
      ENVIRONMENTS.map((env) => ({ sarif_file: `cdktf.out/stacks/${stackId({ environment: env })}/guardrails.sarif`, category: `guardrails-${env}` })),
    );
    for (const u of uploads) expect(u.if).toMatch(/!cancelled\(\)/);
  });
});

describe("deploy.yml", () => {
  test("deploys on merge to main: dev, then staging, then prod, each through deploy-environment.yml", () => {
    const d = workflow("deploy.yml");
    expect(d.on.push).toEqual({ branches: ["main"] });
    expect(d.permissions).toEqual({ contents: "read" });
    const order = ENVIRONMENTS.map((env) => d.jobs[env]);
    order.forEach((job, i) => {
      expect(job.uses).toBe("./.github/workflows/deploy-environment.yml");
      expect(job.with).toEqual({ environment: ENVIRONMENTS[i] });
      expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
      expect(job.needs).toEqual(i === 0 ? undefined : ENVIRONMENTS[i - 1]);
    });
  });

  test("each environment's job runs in its GitHub environment, authenticates by Workload Identity Federation and deploys its stack", () => {
    const job = workflow("deploy-environment.yml").jobs.deploy;
    expect(job.environment).toBe("${{ inputs.environment }}");
    expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
    const auth = job.steps!.find((s) => action(s) === "google-github-actions/auth");
    expect(auth?.with).toEqual({ workload_identity_provider: "${{ vars.GCP_WORKLOAD_IDENTITY_PROVIDER }}", service_account: "${{ vars.GCP_DEPLOY_SERVICE_ACCOUNT }}" });
    const deploy = job.steps!.find((s) => s.run?.includes("cdktf-cli@0.21.0 deploy"));
    // For each environment the command names the app's stack id for it.
    for (const env of ENVIRONMENTS) expect(deploy!.run!.replaceAll("${{ inputs.environment }}", env)).toContain(`deploy "${stackId({ environment: env })}" --auto-approve`);
    expect(job.steps!.indexOf(auth!)).toBeLessThan(job.steps!.indexOf(deploy!));
  });
});
