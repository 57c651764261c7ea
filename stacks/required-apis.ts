/**
 * The Google APIs the pipeline stack needs, by the Terraform types that call them. The bootstrap
 * stack enables them (google_project_service), and a test checks every type the pipeline stack
 * synthesizes is listed here, so a new kind of resource cannot ship without its API.
 */
export const APIS_BY_RESOURCE_PREFIX: Readonly<Record<string, readonly string[]>> = {
  google_pubsub_: ["pubsub.googleapis.com"],
  google_bigquery_: ["bigquery.googleapis.com"],
  // gen2 functions are built by Cloud Build into Artifact Registry and run on Cloud Run.
  google_cloudfunctions2_: ["cloudfunctions.googleapis.com", "run.googleapis.com", "cloudbuild.googleapis.com", "artifactregistry.googleapis.com"],
  google_cloud_run_: ["run.googleapis.com"],
  google_cloud_scheduler_: ["cloudscheduler.googleapis.com"],
  google_monitoring_: ["monitoring.googleapis.com"],
  google_logging_: ["logging.googleapis.com"],
  google_storage_: ["storage.googleapis.com"],
  google_service_account: ["iam.googleapis.com"],
  google_project_iam_: ["cloudresourcemanager.googleapis.com"],
  // data.google_project (the Pub/Sub service agent's project number)
  google_project: ["cloudresourcemanager.googleapis.com"],
  google_secret_manager_: ["secretmanager.googleapis.com"],
};

/** The APIs a Terraform type needs (longest matching prefix), or undefined when none is listed. */
export function apisFor(resourceType: string): readonly string[] | undefined {
  const prefix = Object.keys(APIS_BY_RESOURCE_PREFIX)
    .filter((p) => resourceType.startsWith(p))
    .sort((a, b) => b.length - a.length)[0];
  return prefix === undefined ? undefined : APIS_BY_RESOURCE_PREFIX[prefix];
}

/** Every API the pipeline stack needs, sorted; serviceusage is what enables the others. */
export const REQUIRED_APIS: readonly string[] = [...new Set(["serviceusage.googleapis.com", ...Object.values(APIS_BY_RESOURCE_PREFIX).flat()])].sort();
