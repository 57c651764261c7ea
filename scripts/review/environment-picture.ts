import { humanSeconds, durationSecondsOf } from "./humanize";
import { referenceTarget, resolveLiteral, type StackResource, type TerraformStack } from "./terraform-stack";

/**
 * A Mermaid flowchart of one environment, drawn from its synthesized stack: topics → subscriptions
 * → functions → tables, dead-letter topics and the schedule, with retention and delivery attempts
 * on the edges. Built from resource types and references only, so new resources appear without
 * code here. Pure.
 */
export function environmentPicture(stack: TerraformStack): string {
  const lines = ["flowchart LR"];
  const nodes = new Map<string, string>();
  const node = (r: StackResource): string => {
    const id = nodeId(stack, r);
    if (!nodes.has(id)) nodes.set(id, `  ${id}${shape(r, nodeLabel(stack, r))}`);
    return id;
  };
  const edges: string[] = [];
  const edge = (from: string, to: string, label?: string, dotted = false) =>
    edges.push(`  ${from} ${dotted ? "-.->" : "-->"}${label ? `|"${label}"|` : ""} ${to}`);
  const functionOfAccount = functionsByServiceAccount(stack);
  const tablesByName = new Map<string, StackResource>();
  for (const r of stack.resources.values()) {
    if (r.type === "google_bigquery_table") tablesByName.set(`${resolveLiteral(stack, r.body.project)}.${resolveLiteral(stack, r.body.dataset_id)}.${resolveLiteral(stack, r.body.table_id)}`, r);
  }

  for (const r of sorted(stack)) {
    if (r.type === "google_pubsub_topic") node(r);
    if (r.type === "google_pubsub_subscription") {
      const topic = referenceTarget(stack, r.body.topic)?.resource;
      const sub = node(r);
      if (topic) edge(node(topic), sub, `keeps ${duration(r.body.message_retention_duration)}`);
      const push = referenceTarget(stack, (r.body.push_config as { push_endpoint?: unknown } | undefined)?.push_endpoint)?.resource;
      if (push) edge(sub, node(push), `push, ack ${humanSeconds(Number(r.body.ack_deadline_seconds ?? 10))}`);
      const bq = (r.body.bigquery_config as { table?: unknown } | undefined)?.table;
      const table = bq === undefined ? undefined : (referenceTarget(stack, bq)?.resource ?? tablesByName.get(String(bq)));
      if (table) edge(sub, node(table), "BigQuery subscription");
      const dlp = r.body.dead_letter_policy as { dead_letter_topic?: unknown; max_delivery_attempts?: unknown } | undefined;
      const dlq = referenceTarget(stack, dlp?.dead_letter_topic)?.resource;
      if (dlq) edge(sub, node(dlq), `after ${String(dlp?.max_delivery_attempts ?? 5)} attempts`, true);
    }
    if (r.type === "google_cloud_scheduler_job") {
      const topic = referenceTarget(stack, (r.body.pubsub_target as { topic_name?: unknown } | undefined)?.topic_name)?.resource;
      if (topic) edge(node(r), node(topic), `${String(r.body.schedule)} ${String(r.body.time_zone ?? "UTC")}`);
    }
    if (/_iam_member$/.test(r.type)) {
      const fn = functionOfAccount.get(String(referenceTarget(stack, r.body.member)?.resource.address));
      if (!fn) continue;
      const role = String(r.body.role);
      if (r.type === "google_bigquery_dataset_iam_member" && role === "roles/bigquery.dataEditor") {
        const dataset = referenceTarget(stack, r.body.dataset_id)?.resource;
        if (dataset) edge(node(fn), node(dataset), "writes");
      }
      if (r.type === "google_pubsub_topic_iam_member" && role === "roles/pubsub.publisher") {
        const topic = referenceTarget(stack, r.body.topic)?.resource;
        if (topic) edge(node(fn), node(topic), "publishes");
      }
    }
  }
  return [...lines, ...nodes.values(), ...edges].join("\n");
}

function sorted(stack: TerraformStack): StackResource[] {
  return [...stack.resources.values()].sort((a, b) => a.address.localeCompare(b.address));
}

function functionsByServiceAccount(stack: TerraformStack): Map<string, StackResource> {
  const out = new Map<string, StackResource>();
  for (const r of stack.resources.values()) {
    if (r.type !== "google_cloudfunctions2_function") continue;
    const sa = referenceTarget(stack, (r.body.service_config as { service_account_email?: unknown } | undefined)?.service_account_email);
    if (sa) out.set(sa.resource.address, r);
  }
  return out;
}

function duration(v: unknown): string {
  const s = durationSecondsOf("duration", v);
  return s === undefined ? "7 d" : humanSeconds(s); // Pub/Sub's default subscription retention
}

const PREFIX: Record<string, string> = {
  google_pubsub_topic: "topic",
  google_pubsub_subscription: "sub",
  google_cloudfunctions2_function: "fn",
  google_bigquery_table: "table",
  google_bigquery_dataset: "dataset",
  google_cloud_scheduler_job: "schedule",
};

function nodeId(stack: TerraformStack, r: StackResource): string {
  const name = String(resolveLiteral(stack, r.body.name ?? r.body.table_id ?? r.body.dataset_id ?? r.logicalId));
  const ds = r.type === "google_bigquery_table" ? `${String(resolveLiteral(stack, r.body.dataset_id))}_` : "";
  return `${PREFIX[r.type] ?? "r"}_${ds}${name}`.replace(/[^A-Za-z0-9_]/g, "_");
}

function nodeLabel(stack: TerraformStack, r: StackResource): string {
  const b = r.body;
  switch (r.type) {
    case "google_pubsub_topic":
      return `topic ${String(b.name)}<br/>retention ${duration(b.message_retention_duration)}`;
    case "google_pubsub_subscription":
      return `subscription ${String(b.name)}`;
    case "google_cloudfunctions2_function": {
      const s = b.service_config as { min_instance_count?: number; max_instance_count?: number; timeout_seconds?: number } | undefined;
      return `fn ${String(b.name)}<br/>${s?.min_instance_count ?? 0}-${s?.max_instance_count ?? 100} instances, timeout ${humanSeconds(s?.timeout_seconds ?? 60)}`;
    }
    case "google_bigquery_table": {
      const ms = (b.time_partitioning as { expiration_ms?: number } | undefined)?.expiration_ms;
      return `${String(resolveLiteral(stack, b.dataset_id))}.${String(b.table_id)}${ms ? `<br/>partitions kept ${humanSeconds(ms / 1000)}` : ""}`;
    }
    case "google_bigquery_dataset": {
      const ms = b.default_partition_expiration_ms as number | undefined;
      return `dataset ${String(b.dataset_id)}${ms ? `<br/>partitions kept ${humanSeconds(ms / 1000)}` : ""}`;
    }
    case "google_cloud_scheduler_job":
      return `schedule ${String(b.name)}`;
  }
  return `${r.type} ${r.logicalId}`;
}

function shape(r: StackResource, label: string): string {
  const text = `"${label.replace(/"/g, "'")}"`;
  if (r.type === "google_pubsub_topic") return `[(${text})]`;
  if (r.type === "google_cloudfunctions2_function") return `[[${text}]]`;
  if (r.type === "google_bigquery_table" || r.type === "google_bigquery_dataset") return `[/${text}/]`;
  if (r.type === "google_cloud_scheduler_job") return `{{${text}}}`;
  return `[${text}]`;
}
