/**
 * Reading synthesized Terraform JSON (cdk.tf.json): the one reader for the guardrails (which judge
 * it) and the local pipeline (which provisions the emulator from it). Plain data, no cdktf import,
 * so local tooling may use it without loading the stacks.
 */

/** The parts of a synthesized stack that are read. */
export interface TerraformJson {
  provider?: Record<string, unknown>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
}

/** Resources of one type, keyed by their Terraform logical name. */
export function resourcesOfType(tf: TerraformJson, type: string): [string, Record<string, unknown>][] {
  return Object.entries(tf.resource?.[type] ?? {});
}

/** Nested blocks synthesize as an object or a one-element list, depending on the construct; read both. */
export function block(value: unknown): Record<string, unknown> | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first !== null && typeof first === "object" ? (first as Record<string, unknown>) : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function asStringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** True for an unresolved Terraform expression ("${...}"), e.g. a function URL known only after apply. */
export function isExpression(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
}

const WHOLE_REFERENCE = /^\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)(?:[.[][^}]*)?\}$/;

/** The address a value refers to when the whole value is one reference (`${google_x.y.id}` -> `google_x.y`). */
export function referencedAddress(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  return WHOLE_REFERENCE.exec(value)?.[1];
}

/** True when a (possibly interpolated) string mentions a reference to `address`. */
export function mentions(value: unknown, address: string): boolean {
  return typeof value === "string" && (value.includes(`\${${address}.`) || value.includes(`\${${address}}`));
}

/**
 * Resolves a reference like "${google_pubsub_topic.x.id}" to the referenced resource's `name`
 * (what identifies topics, schemas and subscriptions locally); a literal "projects/p/topics/t"
 * yields "t", any other literal is returned as is. Throws for a reference to a missing resource.
 */
export function referencedName(tf: TerraformJson, value: string): string {
  const address = referencedAddress(value);
  if (address === undefined) return value.includes("/") ? value.slice(value.lastIndexOf("/") + 1) : value;
  const [type, logical] = address.split(".");
  const target = tf.resource?.[type]?.[logical];
  if (!target) throw new Error(`Terraform reference ${value} points at no resource ${address}`);
  if (typeof target.name !== "string" || isExpression(target.name)) throw new Error(`Terraform reference ${value}: ${address} has no literal name`);
  return target.name;
}
