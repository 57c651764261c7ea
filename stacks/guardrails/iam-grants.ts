import { asString, asStringList, block } from "../terraform-json";
import type { TerraformView, TfBlock } from "./terraform-view";

/** One role granted to one member on one target, flattened from any google_*_iam_{member,binding,policy}. */
export interface IamGrant {
  /** The IAM resource that grants it. */
  readonly source: TfBlock;
  /** e.g. `google_pubsub_topic_iam_member`. */
  readonly resourceType: string;
  /** The granted-on attributes, e.g. { topic: "${google_pubsub_topic.dlq.name}" }. */
  readonly target: Readonly<Record<string, string>>;
  readonly role: string;
  readonly member: string;
}

export const IAM_RESOURCE_TYPE = /^google_[a-z0-9_]+_iam_(member|binding|policy)$/;

// Attributes of an IAM resource that are not part of what it grants on.
const NON_TARGET_KEYS = new Set(["//", "role", "member", "members", "policy_data", "condition", "depends_on", "provider", "lifecycle", "count", "for_each", "etag"]);

export const PUBLIC_MEMBERS = ["allUsers", "allAuthenticatedUsers"] as const;
export const PRIMITIVE_ROLES = ["roles/owner", "roles/editor", "roles/viewer"] as const;

export function isPublicMember(member: string): boolean {
  return (PUBLIC_MEMBERS as readonly string[]).includes(member);
}

/** Every grant in the stack, in address order. */
export function iamGrants(view: TerraformView): IamGrant[] {
  const grants: IamGrant[] = [];
  for (const r of view.resources) {
    const kind = IAM_RESOURCE_TYPE.exec(r.type)?.[1];
    if (kind === undefined) continue;
    const target = targetOf(r);
    const push = (role: string, member: string) => grants.push({ source: r, resourceType: r.type, target, role, member });
    if (kind === "member") push(asString(r.config.role) ?? "", asString(r.config.member) ?? "");
    if (kind === "binding") for (const m of asStringList(r.config.members)) push(asString(r.config.role) ?? "", m);
    if (kind === "policy") for (const b of policyBindings(view, r.config.policy_data)) for (const m of b.members) push(b.role, m);
  }
  return grants;
}

function targetOf(r: TfBlock): Record<string, string> {
  const target: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.config)) if (!NON_TARGET_KEYS.has(k) && typeof v === "string") target[k] = v;
  return target;
}

/** Bindings of an `*_iam_policy`: from a `data.google_iam_policy` it references, or from literal JSON. */
function policyBindings(view: TerraformView, policyData: unknown): { role: string; members: string[] }[] {
  const data = view.deref(policyData);
  if (data?.type === "google_iam_policy") {
    const bindings = Array.isArray(data.config.binding) ? data.config.binding : [data.config.binding].filter(Boolean);
    return bindings.map((b) => ({ role: asString(block(b)?.role) ?? "", members: asStringList(block(b)?.members) }));
  }
  if (typeof policyData === "string" && !policyData.includes("${")) {
    try {
      const parsed = JSON.parse(policyData) as { bindings?: { role?: string; members?: string[] }[] };
      return (parsed.bindings ?? []).map((b) => ({ role: b.role ?? "", members: b.members ?? [] }));
    } catch {
      return [];
    }
  }
  return [];
}
