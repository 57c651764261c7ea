import { iamGrants, isPublicMember, PRIMITIVE_ROLES } from "../iam-grants";
import { finding, type GuardrailRule } from "../rule";
import { asString, block } from "../../terraform-json";

export const noPrimitiveRoles: GuardrailRule = {
  id: "IAM-001",
  title: "No primitive roles",
  rationale: "roles/owner, roles/editor and roles/viewer grant thousands of permissions across every service in scope.",
  fix: "Grant a predefined role scoped to the resource (e.g. roles/pubsub.publisher on one topic) through the construct's grant method.",
  checkov: ["CKV_GCP_115", "CKV_GCP_116", "CKV_GCP_117"],
  check(ctx) {
    const viaIam = iamGrants(ctx.view)
      .filter((g) => (PRIMITIVE_ROLES as readonly string[]).includes(g.role))
      .map((g) => finding(this, g.source, `grants primitive role ${g.role} to ${g.member}`));
    // Dataset `access` blocks take legacy OWNER/WRITER/READER roles, which are primitive too.
    const viaDatasetAccess = ctx.view.ofType("google_bigquery_dataset").flatMap((d) =>
      datasetAccess(d.config.access)
        .filter((a) => /^(OWNER|WRITER|READER|roles\/(owner|editor|viewer))$/.test(asString(a.role) ?? ""))
        .map((a) => finding(this, d, `dataset access grants primitive role ${String(a.role)}`)),
    );
    return [...viaIam, ...viaDatasetAccess];
  },
};

export const noPublicMembers: GuardrailRule = {
  id: "IAM-002",
  title: "No allUsers or allAuthenticatedUsers",
  rationale: "A public member makes the resource reachable by anyone on the internet (or any Google account).",
  fix: "Grant a specific service account or group; functions are invoked by the push subscription's service account, not the public.",
  checkov: ["CKV_GCP_107"],
  trivy: ["AVD-GCP-0046"],
  check(ctx) {
    const viaIam = iamGrants(ctx.view)
      // Pub/Sub IAM is PS-006's, so one mistake is reported once.
      .filter((g) => !/^google_pubsub_/.test(g.resourceType) && isPublicMember(g.member))
      .map((g) => finding(this, g.source, `grants ${g.role} to ${g.member}`));
    const viaDatasetAccess = ctx.view.ofType("google_bigquery_dataset", "google_bigquery_dataset_access").flatMap((d) =>
      (d.type === "google_bigquery_dataset" ? datasetAccess(d.config.access) : [d.config])
        .filter((a) => isPublicMember(asString(a.special_group) ?? "") || isPublicMember(asString(a.iam_member) ?? ""))
        .map((a) => finding(this, d, `dataset access is granted to ${String(a.special_group ?? a.iam_member)}`)),
    );
    return [...viaIam, ...viaDatasetAccess];
  },
};

function datasetAccess(access: unknown): Record<string, unknown>[] {
  return (Array.isArray(access) ? access : access ? [access] : []).map(block).filter((a): a is Record<string, unknown> => a !== undefined);
}

export const IAM_RULES = [noPrimitiveRoles, noPublicMembers];
