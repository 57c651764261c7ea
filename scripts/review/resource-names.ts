import { referenceTarget, resolveLiteral, type StackResource, type TerraformStack } from "./terraform-stack";

/**
 * Names a resource as a person does ("topic commerce-events", "table curated.commerce_events",
 * "grant roles/pubsub.publisher on topic commerce-events-dlq to service account fn-enrichment"),
 * never by logical id. Unknown types fall back to the type and its name attribute. Pure.
 */
export function resourceName(stack: TerraformStack, r: StackResource): string {
  const b = r.body;
  const lit = (v: unknown) => String(resolveLiteral(stack, v));
  switch (r.type) {
    case "google_pubsub_topic":
      return `topic ${lit(b.name)}`;
    case "google_pubsub_subscription":
      return `subscription ${lit(b.name)}`;
    case "google_pubsub_schema":
      return `schema ${lit(b.name)}`;
    case "google_bigquery_dataset":
      return `dataset ${lit(b.dataset_id)}`;
    case "google_bigquery_table":
      return `${b.view ? "view" : "table"} ${lit(b.dataset_id)}.${lit(b.table_id)}`;
    case "google_cloudfunctions2_function":
      return `function ${lit(b.name)}`;
    case "google_cloud_scheduler_job":
      return `schedule ${lit(b.name)}`;
    case "google_service_account":
      return `service account ${lit(b.account_id)}`;
    case "google_storage_bucket":
      return `bucket ${lit(b.name)}`;
    case "google_storage_bucket_object":
      // The object name carries the archive's content hash; the folder names the function.
      return `source archive ${lit(b.name).split("/")[0]}`;
    case "google_logging_metric":
      return `log metric ${lit(b.name)}`;
    case "google_monitoring_alert_policy":
      return `alert policy "${lit(b.display_name)}"`;
    case "google_monitoring_notification_channel":
      return `notification channel "${lit(b.display_name)}"`;
    case "google_monitoring_dashboard":
      return "monitoring dashboard";
  }
  if (/_iam_(member|binding)$/.test(r.type)) return grantName(stack, r);
  const name = b.name ?? b.display_name ?? b.account_id;
  return `${r.type.replace(/^google_/, "").replace(/_/g, " ")} ${name === undefined ? r.logicalId : lit(name)}`;
}

/** What an IAM member resource grants, on what, to whom. */
export function grantName(stack: TerraformStack, r: StackResource): string {
  const b = r.body;
  const members = Array.isArray(b.members) ? b.members : [b.member];
  const who = members.map((m) => memberName(stack, m)).join(", ");
  return `grant ${String(b.role)} on ${grantTarget(stack, r)} to ${who}`;
}

/** "service account fn-enrichment" for a reference, else the member string itself ("allUsers"). */
export function memberName(stack: TerraformStack, member: unknown): string {
  const target = referenceTarget(stack, member);
  if (target) return resourceName(stack, target.resource);
  return String(member);
}

function grantTarget(stack: TerraformStack, r: StackResource): string {
  // The scope attribute differs per IAM resource type; the first one present names the target.
  for (const key of ["topic", "subscription", "dataset_id", "service", "name", "service_account_id", "bucket", "project"]) {
    const value = r.body[key];
    if (value === undefined) continue;
    const target = referenceTarget(stack, value);
    if (target) {
      // Cloud Run services of gen2 functions are referenced through the function.
      return resourceName(stack, target.resource);
    }
    const scope = r.type.replace(/^google_/, "").replace(/_iam_(member|binding)$/, "").replace(/_/g, " ");
    return `${scope} ${String(value)}`;
  }
  return r.type;
}
