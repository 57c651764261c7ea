/**
 * A synthesized stack (cdk.tf.json) seen as Terraform sees it: resources keyed by address
 * (`type.logical_id`), which is what a plan compares. Pure: no I/O.
 */

export type TerraformBody = Record<string, unknown>;

export interface StackResource {
  /** Terraform address, e.g. "google_pubsub_topic.topic-commerce-events_topic_B6642682". */
  readonly address: string;
  readonly type: string;
  readonly logicalId: string;
  /** The resource's arguments without cdktf's "//" metadata. */
  readonly body: TerraformBody;
}

export interface TerraformStack {
  readonly resources: ReadonlyMap<string, StackResource>;
}

interface TerraformJson {
  resource?: Record<string, Record<string, TerraformBody>>;
}

/** Parses cdk.tf.json text; throws with the source named when it is not a Terraform JSON document. */
export function parseTerraformStack(json: string, source: string): TerraformStack {
  let doc: TerraformJson;
  try {
    doc = JSON.parse(json) as TerraformJson;
  } catch (err) {
    throw new Error(`${source} is not JSON: ${(err as Error).message}`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new Error(`${source} is not a Terraform JSON object`);
  const resources = new Map<string, StackResource>();
  for (const [type, byId] of Object.entries(doc.resource ?? {})) {
    for (const [logicalId, raw] of Object.entries(byId)) {
      const { "//": _metadata, ...body } = raw;
      resources.set(`${type}.${logicalId}`, { address: `${type}.${logicalId}`, type, logicalId, body });
    }
  }
  return { resources };
}

const REFERENCE = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)(\[0\]\.[a-z0-9_]+)?\}$/;

/** The resource a `${type.id.attr}` reference points at, with the attribute it reads. */
export function referenceTarget(stack: TerraformStack, value: unknown): { resource: StackResource; attribute: string } | undefined {
  if (typeof value !== "string") return undefined;
  const m = REFERENCE.exec(value);
  if (!m) return undefined;
  const resource = stack.resources.get(`${m[1]}.${m[2]}`);
  return resource ? { resource, attribute: m[3] } : undefined;
}

/** A literal attribute value, following one level of reference (`${google_bigquery_dataset.x.dataset_id}` -> "curated"). */
export function resolveLiteral(stack: TerraformStack, value: unknown): unknown {
  const target = referenceTarget(stack, value);
  if (!target) return value;
  const resolved = target.resource.body[target.attribute];
  return resolved === undefined ? value : resolved;
}

/** Reads a nested attribute by path (`["dead_letter_policy", "max_delivery_attempts"]`). */
export function attributeAt(body: TerraformBody, path: readonly string[]): unknown {
  let v: unknown = body;
  for (const key of path) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}
