import { CloudSchedulerJob } from "@cdktf/provider-google/lib/cloud-scheduler-job";
import { Cloudfunctions2Function } from "@cdktf/provider-google/lib/cloudfunctions2-function";
import { ENVIRONMENTS, type Environment } from "../../config";
import { functionEnvironment } from "../../stacks/constructs/function-env";
import { refTo, resourcesOf, resourceWhere, synthAllEnvironments, type SynthesizedStack } from "./synth-pipeline";

let stacks: Record<Environment, SynthesizedStack>;
let cleanup: () => void;
beforeAll(() => ({ stacks, cleanup } = synthAllEnvironments()));
afterAll(() => cleanup());

const FUNCTIONS = ["enrichment", "reconciliation"] as const;
const IAM_TYPES = {
  google_bigquery_dataset_iam_member: "dataset_id",
  google_pubsub_topic_iam_member: "topic",
  google_project_iam_member: "project",
  google_cloud_run_v2_service_iam_member: "name",
  google_pubsub_subscription_iam_member: "subscription",
  google_service_account_iam_member: "service_account_id",
} as const;

/** Every grant to a member, as "<resource the role is on> <role>", with Terraform references made readable. */
function grantsOf(s: SynthesizedStack, member: string): string[] {
  const readable = (ref: string) =>
    ref
      .replace(/^\$\{google_bigquery_dataset\.dataset-(\w+)_dataset_\w+\.dataset_id\}$/, "dataset:$1")
      .replace(/^\$\{google_pubsub_topic\.[\w-]+\.name\}$/, (r) => `topic:${topicName(s, r)}`);
  return Object.entries(IAM_TYPES)
    .flatMap(([type, key]) => resourcesOf(s, type).filter((g) => g.member === member).map((g) => `${readable(String(g[key]))} ${g.role}`))
    .sort();
}
function topicName(s: SynthesizedStack, ref: string): string {
  const id = ref.split(".")[1];
  return String(s.tf.resource.google_pubsub_topic[id].name);
}
const saMember = (s: SynthesizedStack, accountId: string) => refTo(s, "google_service_account", "account_id", accountId, "member");

describe.each(ENVIRONMENTS)("functions and schedule in %s", (env) => {
  test.each(FUNCTIONS)("%s is a private gen2 nodejs20 function sized by config, with its own service account", (name) => {
    const s = stacks[env];
    const fn = s.config.functions[name];
    expect(s.json).toHaveResourceWithProperties(Cloudfunctions2Function, {
      name,
      location: s.config.region,
      labels: { ...s.config.labels, env },
      build_config: expect.objectContaining({ runtime: "nodejs20", entry_point: name }),
      service_config: expect.objectContaining({
        available_memory: fn.memory,
        available_cpu: fn.cpu,
        min_instance_count: fn.minInstances,
        max_instance_count: fn.maxInstances,
        max_instance_request_concurrency: fn.concurrency,
        timeout_seconds: fn.timeoutSeconds,
        ingress_settings: "ALLOW_INTERNAL_ONLY",
        service_account_email: refTo(s, "google_service_account", "account_id", `fn-${name}`, "email"),
        environment_variables: functionEnvironment(name, s.config, "0.0.0-test"),
      }),
    });
  });

  test("the two functions run as distinct service accounts", () => {
    const s = stacks[env];
    const emails = resourcesOf(s, "google_cloudfunctions2_function").map((f) => (f.service_config as { service_account_email: string }).service_account_email);
    expect(emails).toHaveLength(2);
    expect(new Set(emails).size).toBe(2);
  });

  test.each(FUNCTIONS)("%s source is its zip, uploaded under its content hash to the environment's bucket", (name) => {
    const s = stacks[env];
    const fn = resourceWhere(s, "google_cloudfunctions2_function", "name", name);
    const archive = resourcesOf(s, "google_storage_bucket_object").find((o) => String(o.name).startsWith(`${name}/`))!;
    expect(archive.name).toMatch(new RegExp(`^${name}/[0-9A-F]{32}\\.zip$`));
    expect(archive.source).toMatch(new RegExp(`^assets/.+/${name}\\.zip$`));
    expect(archive.bucket).toBe(refTo(s, "google_storage_bucket", "name", `${s.config.project}-function-sources`, "name"));
    expect((fn.build_config as { source: unknown }).source).toEqual({
      storage_source: { bucket: expect.stringContaining("google_storage_bucket_object."), object: expect.stringContaining("google_storage_bucket_object.") },
    });
    expect(resourceWhere(s, "google_storage_bucket", "name", `${s.config.project}-function-sources`)).toMatchObject({
      public_access_prevention: "enforced",
      uniform_bucket_level_access: true,
      labels: { ...s.config.labels, env },
    });
  });

  test("enrichment holds exactly: curated editor, ref viewer, publisher on its DLQ, project jobUser", () => {
    const s = stacks[env];
    expect(grantsOf(s, saMember(s, "fn-enrichment"))).toEqual(
      [
        "dataset:curated roles/bigquery.dataEditor",
        "dataset:ref roles/bigquery.dataViewer",
        "topic:commerce-events-dlq roles/pubsub.publisher",
        `${s.config.project} roles/bigquery.jobUser`,
      ].sort(),
    );
  });

  test("reconciliation holds exactly: viewer on curated/ledger/ref/raw, ops editor, alerts publisher, project jobUser", () => {
    const s = stacks[env];
    const expected = [
      "dataset:curated roles/bigquery.dataViewer",
      "dataset:ledger roles/bigquery.dataViewer",
      "dataset:ref roles/bigquery.dataViewer",
      // The parity canaries read the raw mirror.
      "dataset:raw roles/bigquery.dataViewer",
      "dataset:ops roles/bigquery.dataEditor",
      "topic:reconciliation-alerts roles/pubsub.publisher",
      `${s.config.project} roles/bigquery.jobUser`,
      ...(s.config.reconciliation.repair ? ["dataset:curated roles/bigquery.dataEditor"] : []),
    ];
    expect(grantsOf(s, saMember(s, "fn-reconciliation"))).toEqual(expected.sort());
  });

  test("only the push invoker may invoke the functions, on each function's Cloud Run service", () => {
    const s = stacks[env];
    const invokerGrants = resourcesOf(s, "google_cloud_run_v2_service_iam_member");
    expect(invokerGrants).toHaveLength(2);
    for (const name of FUNCTIONS) {
      expect(invokerGrants).toContainEqual(
        expect.objectContaining({
          name: refTo(s, "google_cloudfunctions2_function", "name", name, "service_config[0].service"),
          role: "roles/run.invoker",
          member: saMember(s, "pubsub-push-invoker"),
        }),
      );
    }
    const everything = JSON.stringify(s.tf.resource);
    expect(everything).not.toMatch(/allUsers|allAuthenticatedUsers/);
    expect(everything).not.toMatch(/roles\/(owner|editor|viewer)"/);
  });

  test("the nightly job publishes {run_date: previous_day} to reconcile-requests on the configured cron and zone, with retries", () => {
    const s = stacks[env];
    const sch = s.config.reconciliation.schedule;
    expect(s.json).toHaveResourceWithProperties(CloudSchedulerJob, {
      name: "nightly-reconciliation",
      region: s.config.region,
      schedule: sch.cron,
      time_zone: sch.timeZone,
      retry_config: {
        retry_count: sch.retry.retryCount,
        max_retry_duration: sch.retry.maxRetryDuration,
        min_backoff_duration: sch.retry.minBackoff,
        max_backoff_duration: sch.retry.maxBackoff,
        max_doublings: sch.retry.maxDoublings,
      },
      pubsub_target: {
        topic_name: refTo(s, "google_pubsub_topic", "name", "reconcile-requests", "id"),
        data: Buffer.from('{"run_date":"previous_day"}').toString("base64"),
      },
    });
    // Pub/Sub targets ignore attempt_deadline; setting it would leave a plan diff that never resolves.
    for (const job of Object.values(s.tf.resource.google_cloud_scheduler_job ?? {})) expect(job).not.toHaveProperty("attempt_deadline");
  });

  test("state lives in the environment's GCS bucket; the provider targets its project and region", () => {
    const s = stacks[env];
    expect(s.tf.terraform.backend).toEqual({ gcs: { bucket: s.config.stateBucket, prefix: `streamline/${env}` } });
    expect(JSON.stringify(s.tf.provider)).toContain(`"project":"${s.config.project}"`);
    expect(s.json).not.toMatch(/"\/(work|tmp|home|Users)\//);
  });
});
