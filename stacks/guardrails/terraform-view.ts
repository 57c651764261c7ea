import { asString, block, referencedAddress, type TerraformJson } from "../terraform-json";

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

export class TerraformView {
  readonly resources: readonly TfBlock[];
  readonly dataSources: readonly TfBlock[];
  private readonly byAddress = new Map<string, TfBlock>();

  constructor(
    readonly stackName: string,
    synthesized: TerraformJson,
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

function blocksOf(section: TerraformJson["resource"], prefix: string): TfBlock[] {
  const out: TfBlock[] = [];
  for (const [type, byName] of Object.entries(section ?? {})) {
    for (const [name, config] of Object.entries(byName)) {
      const meta = block(block(config["//"])?.metadata);
      out.push({ type, name, address: `${prefix}${type}.${name}`, path: asString(meta?.path) ?? `${prefix}${type}.${name}`, config });
    }
  }
  return out.sort((a, b) => a.address.localeCompare(b.address));
}

function readDefaultLabels(providers: TerraformJson["provider"]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const key of ["google", "google-beta"]) {
    const configs = providers?.[key];
    for (const p of Array.isArray(configs) ? configs : configs ? [configs] : []) {
      Object.assign(labels, block(p)?.default_labels ?? {});
    }
  }
  return labels;
}
