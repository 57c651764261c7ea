/** The parts of a synthesized Terraform JSON (cdk.tf.json) that local tooling reads. */
export interface TerraformJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
}

const REFERENCE = /^\$\{([a-z0-9_]+)\.([^.}]+)\.([a-z_]+)\}$/;

/** Resources of one type, keyed by their Terraform logical name. */
export function resourcesOfType(tf: TerraformJson, type: string): [string, Record<string, unknown>][] {
  return Object.entries(tf.resource?.[type] ?? {});
}

/**
 * A nested block as an object: cdktf writes single blocks as objects, hand-written HCL-JSON may use
 * a one-element list.
 */
export function block(value: unknown): Record<string, unknown> | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : undefined;
}

/**
 * Resolves a reference like "${google_pubsub_topic.x.id}" to the referenced resource's `name`
 * (what identifies topics, schemas and subscriptions locally); a literal "projects/p/topics/t"
 * yields "t", any other literal is returned as is. Throws for a reference to a missing resource.
 */
export function referencedName(tf: TerraformJson, value: string): string {
  const m = REFERENCE.exec(value);
  if (!m) return value.includes("/") ? value.slice(value.lastIndexOf("/") + 1) : value;
  const [, type, logical] = m;
  const target = tf.resource?.[type]?.[logical];
  if (!target) throw new Error(`Terraform reference ${value} points at no resource ${type}.${logical}`);
  if (typeof target.name !== "string") throw new Error(`Terraform reference ${value}: ${type}.${logical} has no literal name`);
  return target.name;
}

/** True for an unresolved Terraform expression ("${...}"), e.g. a function URL known only after apply. */
export function isExpression(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
}

/** "600s" / "3.5s" (Google API duration) -> { seconds, nanos }. */
export function duration(value: unknown): { seconds: number; nanos: number } | undefined {
  if (typeof value !== "string" || !/^\d+(\.\d+)?s$/.test(value)) return undefined;
  const total = Number(value.slice(0, -1));
  const seconds = Math.floor(total);
  return { seconds, nanos: Math.round((total - seconds) * 1e9) };
}
