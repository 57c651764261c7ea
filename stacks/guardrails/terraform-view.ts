/**
 * A read-only view of one synthesized stack (the JSON Terraform receives), so rules judge exactly
 * what will be applied: overrides, escape hatches and other aspects included.
 */

/** One `resource` or `data` block of the synthesized stack. */
export interface TfBlock {
  /** Terraform type, e.g. `google_pubsub_topic`. */
  readonly type: string;
  /** Logical name inside the type, e.g. `commerce_events_dlq_A1B2C3`. */
  readonly name: string;
  /** Terraform address: `google_pubsub_topic.x`, or `data.google_iam_policy.x` for data sources. */
  readonly address: string;
  /** Construct path, e.g. `dev/commerce-events-dlq/topic`. */
  readonly path: string;
  /** Attributes as synthesized (snake_case, references as `${type.name.attr}` strings). */
  readonly config: Record<string, unknown>;
}

export type SynthesizedStack = {
  provider?: Record<string, unknown>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
};

const WHOLE_REFERENCE = /^\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)(?:[.[][^}]*)?\}$/;

/** The address a value refers to when the whole value is one reference (`${google_x.y.id}`). */
export function referencedAddress(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  return WHOLE_REFERENCE.exec(value)?.[1];
}

/** True when a (possibly interpolated) string mentions a reference to `address`. */
export function mentions(value: unknown, address: string): boolean {
  return typeof value === "string" && (value.includes(`\${${address}.`) || value.includes(`\${${address}}`));
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

export class TerraformView {
  readonly resources: readonly TfBlock[];
  readonly dataSources: readonly TfBlock[];
  private readonly byAddress = new Map<string, TfBlock>();

  constructor(
    readonly stackName: string,
    synthesized: SynthesizedStack,
  ) {
    this.resources = blocksOf(synthesized.resource, "");
    this.dataSources = blocksOf(synthesized.data, "data.");
    for (const b of [...this.resources, ...this.dataSources]) this.byAddress.set(b.address, b);
    this.defaultLabels = readDefaultLabels(synthesized.provider);
    this.providerProject = asString(block(synthesized.provider?.google)?.project);
  }

  /** `project` of the google provider, when literal. */
  readonly providerProject: string | undefined;

  /** `default_labels` of the google provider(s): the provider adds them to every labelable resource. */
  readonly defaultLabels: Record<string, string>;

  ofType(...types: string[]): TfBlock[] {
    return this.resources.filter((r) => types.includes(r.type));
  }

  get(address: string): TfBlock | undefined {
    return this.byAddress.get(address);
  }

  /** The block a whole-reference value points at, if any. */
  deref(value: unknown): TfBlock | undefined {
    const address = referencedAddress(value);
    return address === undefined ? undefined : this.byAddress.get(address);
  }
}

function blocksOf(section: SynthesizedStack["resource"], prefix: string): TfBlock[] {
  const out: TfBlock[] = [];
  for (const [type, byName] of Object.entries(section ?? {})) {
    for (const [name, config] of Object.entries(byName)) {
      const meta = block(block(config["//"])?.metadata);
      out.push({ type, name, address: `${prefix}${type}.${name}`, path: asString(meta?.path) ?? `${prefix}${type}.${name}`, config });
    }
  }
  return out.sort((a, b) => a.address.localeCompare(b.address));
}

function readDefaultLabels(providers: SynthesizedStack["provider"]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const key of ["google", "google-beta"]) {
    const configs = providers?.[key];
    for (const p of Array.isArray(configs) ? configs : configs ? [configs] : []) {
      Object.assign(labels, block(p)?.default_labels ?? {});
    }
  }
  return labels;
}
