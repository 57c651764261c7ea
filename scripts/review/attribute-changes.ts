import { humanValue } from "./humanize";
import { referenceTarget, type TerraformBody, type TerraformStack } from "./terraform-stack";
import { resourceName } from "./resource-names";

/** One changed argument of a resource, old and new as a reviewer reads them. Pure. */
export interface AttributeChange {
  /** Dotted argument path, e.g. "dead_letter_policy.max_delivery_attempts". */
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
  /** e.g. "message retention 31 d → 14 d". */
  readonly text: string;
}

// Arguments compared elsewhere (schema, Avro definition) or that do not change what is deployed.
const SKIPPED = new Set(["depends_on", "schema", "definition", "lifecycle", "provider"]);

const LABELS: Readonly<Record<string, string>> = {
  message_retention_duration: "message retention",
  "dead_letter_policy.max_delivery_attempts": "max delivery attempts",
  "dead_letter_policy.dead_letter_topic": "dead-letter topic",
  ack_deadline_seconds: "ack deadline",
  "retry_policy.minimum_backoff": "retry minimum backoff",
  "retry_policy.maximum_backoff": "retry maximum backoff",
  "expiration_policy.ttl": "expiry when idle",
  "time_partitioning.expiration_ms": "partition expiration",
  "time_partitioning.field": "partition column",
  "time_partitioning.type": "partition granularity",
  default_partition_expiration_ms: "default partition expiration",
  "service_config.min_instance_count": "min instances",
  "service_config.max_instance_count": "max instances",
  "service_config.timeout_seconds": "timeout",
  "service_config.ingress_settings": "ingress",
  "service_config.available_memory": "memory",
  "service_config.available_cpu": "cpu",
  "service_config.max_instance_request_concurrency": "concurrency",
  deletion_protection: "deletion protection",
  require_partition_filter: "require partition filter",
  "view.query": "view query",
  time_zone: "time zone",
};

/** The label a reviewer reads for an argument path. */
export function attributeLabel(path: string): string {
  if (LABELS[path]) return LABELS[path];
  const env = /^service_config\.environment_variables\.(.+)$/.exec(path);
  if (env) return `env ${env[1]}`;
  const label = /^labels\.(.+)$/.exec(path);
  if (label) return `label ${label[1]}`;
  return path.replace(/_/g, " ").replace(/\./g, " ");
}

/** Flattens nested blocks to dotted paths; lists and scalars are leaves. */
function flatten(body: TerraformBody, prefix = "", out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [key, value] of Object.entries(body)) {
    if (!prefix && SKIPPED.has(key)) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) flatten(value as TerraformBody, path, out);
    else out.set(path, value);
  }
  return out;
}

/** A value as shown: references become the referenced resource's name ("topic commerce-events-dlq"). */
export function displayValue(stack: TerraformStack, path: string, value: unknown): string {
  const target = referenceTarget(stack, value);
  if (target) return resourceName(stack, target.resource);
  return humanValue(path.split(".").pop() ?? path, value);
}

/** Changed arguments between two versions of one resource, in path order. */
export function attributeChanges(
  base: TerraformStack,
  before: TerraformBody,
  head: TerraformStack,
  after: TerraformBody,
  type: string,
): AttributeChange[] {
  const old = flatten(before);
  const now = flatten(after);
  const paths = [...new Set([...old.keys(), ...now.keys()])].sort();
  const changes: AttributeChange[] = [];
  for (const path of paths) {
    // The local asset path of an archive carries the same hash as its object name, reported once as "archive content changed".
    if (type === "google_storage_bucket_object" && path === "source") continue;
    const a = displayValue(base, path, old.get(path));
    const b = displayValue(head, path, now.get(path));
    if (a === b && JSON.stringify(old.get(path)) === JSON.stringify(now.get(path))) continue;
    if (a === b && referenceTarget(base, old.get(path))) continue; // same target under another logical id
    changes.push({ path, before: old.get(path), after: now.get(path), text: changeText(type, path, a, b) });
  }
  return changes;
}

function changeText(type: string, path: string, a: string, b: string): string {
  // A new archive name means new code (the name carries the content hash): say that, not two hashes.
  if (type === "google_storage_bucket_object" && path === "name") return "archive content changed (new deployment of the function)";
  if (path === "view.query") return "view query changed";
  if (a === b) return `${attributeLabel(path)} changed`;
  return `${attributeLabel(path)} ${a} → ${b}`;
}
