import type { Environment } from "../../config";
import type { TerraformView } from "./terraform-view";

/** What a rule knows about the stack it judges, besides the synthesized JSON. */
export interface RuleContext {
  readonly view: TerraformView;
  readonly environment: Environment;
  /** config.cmek.required for this environment. */
  readonly cmekRequired: boolean;
  /**
   * Addresses of resources whose provider class has a `labels` attribute (found by the aspect's
   * visit): the provider schema, not the synthesized JSON, says what is labelable.
   */
  readonly labelableAddresses: ReadonlySet<string>;
}

/** One broken rule on one resource. */
export interface Finding {
  readonly ruleId: string;
  /** Terraform address, e.g. `google_pubsub_topic.dlq`. */
  readonly address: string;
  /** Construct path, e.g. `dev/commerce-events-dlq/topic`. */
  readonly path: string;
  /** What is wrong, specific to this resource. */
  readonly message: string;
}

export interface GuardrailRule {
  /** Stable id: PS-xxx Pub/Sub, BQ-xxx BigQuery, IAM-xxx, FN-xxx, LBL-xxx, KMS-xxx, MON-xxx monitoring, GR-xxx (the guardrails themselves). */
  readonly id: string;
  /** Short name, e.g. "Subscriptions are dead-lettered". */
  readonly title: string;
  /** One line: why the rule exists. */
  readonly rationale: string;
  /** How to fix a violation, in terms of our constructs and config. */
  readonly fix: string;
  /** Matching checkov check ids (CKV_GCP_*), where one exists. */
  readonly checkov?: readonly string[];
  /** Matching Trivy check ids (AVD-GCP-*), where one exists. */
  readonly trivy?: readonly string[];
  check(ctx: RuleContext): Finding[];
}

/** Builds a finding of `rule` on a resource block. */
export function finding(rule: Pick<GuardrailRule, "id">, on: { address: string; path: string }, message: string): Finding {
  return { ruleId: rule.id, address: on.address, path: on.path, message };
}
