import { iamGrants } from "./iam-grants";
import { asString } from "../terraform-json";
import type { TerraformView, TfBlock } from "./terraform-view";

const REFERENCE = /\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)((?:[.[][^}]*)?)\}/g;

/**
 * Every IAM grant of a stack as one readable line, `env | resource type | target | role | member`,
 * references replaced by the names they resolve to, so a new grant reads as a one-line diff in review.
 */
export function iamAllowListLines(environment: string, view: TerraformView): string[] {
  const project = view.providerProject ?? "<project>";
  const render = (value: string) => value.replace(REFERENCE, (whole, address: string, attr: string) => renderReference(view.get(address), attr, project) ?? whole);
  return iamGrants(view)
    .map((g) => {
      const target = Object.entries(g.target)
        .map(([k, v]) => `${k}=${render(v)}`)
        .join(", ");
      return [environment, g.resourceType, target, g.role, render(g.member)].join(" | ");
    })
    .sort();
}

function renderReference(target: TfBlock | undefined, attr: string, project: string): string | undefined {
  if (target === undefined) return undefined;
  if (target.type === "google_project" && attr === ".number") return "<project-number>";
  if (target.type === "google_service_account") {
    const email = `${asString(target.config.account_id)}@${asString(target.config.project) ?? project}.iam.gserviceaccount.com`;
    if (attr === ".member") return `serviceAccount:${email}`;
    return email; // .email, .name, .id all name the same account
  }
  return asString(target.config.name) ?? asString(target.config.dataset_id) ?? asString(target.config.table_id) ?? asString(target.config.account_id);
}
