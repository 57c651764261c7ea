import * as fs from "node:fs";
import * as path from "node:path";
import { App, Aspects, TerraformResource, type IAspect, type TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import type { Environment } from "../../config";
import { evaluateRules, formatViolation, type GuardrailResult } from "./evaluate";
import { toJsonReport, toSarifReport } from "./report";
import { RULES } from "./rules";
import { suppressGuardrail as place, suppressionsOn, type PlacedSuppression, type Suppression } from "./suppressions";
import type { TerraformJson } from "../terraform-json";
import { TerraformView } from "./terraform-view";

export interface GuardrailOptions {
  /** The stack's environment: some rules apply to staging/prod only. */
  readonly environment: Environment;
  /** config.cmek.required: turns the KMS-* rules on. */
  readonly cmekRequired: boolean;
  /** Clock for suppression expiry. Default: the current time. */
  readonly now?: () => Date;
  /** Write guardrails.json and guardrails.sarif beside the stack's cdk.tf.json. Default: true. */
  readonly writeReport?: boolean;
}

// `labels` on these types is channel configuration (e.g. email_address), not resource labels.
const NOT_RESOURCE_LABELS = new Set(["google_monitoring_notification_channel"]);

/**
 * Visits every construct at synth: records which resources are labelable (their provider class has
 * a `labels` attribute) and where suppressions are placed. The rules judge once, after the visit,
 * because cross-resource rules need the whole stack and other aspects may still change a resource
 * after we pass it.
 */
export class GuardrailAspect implements IAspect {
  private readonly labelable = new Set<string>();
  private readonly suppressions = new Map<string, PlacedSuppression[]>();
  private visited = false;

  visit(node: IConstruct): void {
    this.visited = true;
    if (TerraformResource.isTerraformResource(node) && "labels" in node && !NOT_RESOURCE_LABELS.has(node.terraformResourceType)) {
      this.labelable.add(`${node.terraformResourceType}.${node.friendlyUniqueId}`);
    }
    // Keyed by path: synth may invoke aspects more than once.
    const placed = suppressionsOn(node);
    if (placed.length) this.suppressions.set(node.node.path, placed);
  }

  /** Judges the stack as it synthesizes now. Call after aspects have run (synth, Testing.synth). */
  evaluate(stack: TerraformStack, options: GuardrailOptions): GuardrailResult {
    if (!this.visited) throw new Error(`guardrails on ${stack.node.path}: evaluate() before the aspects ran; synthesize first`);
    return evaluateRules({
      view: new TerraformView(stack.node.id, stack.toTerraform() as TerraformJson),
      environment: options.environment,
      cmekRequired: options.cmekRequired,
      labelableAddresses: this.labelable,
      suppressions: [...this.suppressions.values()].flat(),
      now: (options.now ?? (() => new Date()))(),
    });
  }
}

/** The guardrails attached to one stack; `evaluate()` gives the result of the last synth for tests and tools. */
export interface Guardrails {
  readonly aspect: GuardrailAspect;
  evaluate(): GuardrailResult;
}

/**
 * Adds the guardrail aspect to `stack` and a validation that fails synth listing every violation
 * (rule id, construct path, fix), after writing the report beside the stack.
 */
export function applyGuardrails(stack: TerraformStack, options: GuardrailOptions): Guardrails {
  const aspect = new GuardrailAspect();
  Aspects.of(stack).add(aspect);
  stack.node.addValidation({
    validate: () => {
      const result = aspect.evaluate(stack, options);
      if (options.writeReport !== false) writeGuardrailReport(stack, result);
      return result.violations.map(formatViolation);
    },
  });
  return { aspect, evaluate: () => aspect.evaluate(stack, options) };
}

/** Suppresses `rule` on `scope` and below; the reason (>= 10 chars) and optional expiry land in the report. */
export function suppressGuardrail(scope: IConstruct, suppression: Suppression): void {
  place(scope, suppression, [...RULES.map((r) => r.id)]);
}

/** Writes cdktf.out/stacks/<stack>/guardrails.json and guardrails.sarif. */
export function writeGuardrailReport(stack: TerraformStack, result: GuardrailResult): void {
  const dir = path.join(App.of(stack).outdir, "stacks", stack.node.id);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "guardrails.json"), JSON.stringify(toJsonReport(result), null, 2) + "\n");
  fs.writeFileSync(path.join(dir, "guardrails.sarif"), JSON.stringify(toSarifReport(result, `stacks/${stack.node.id}/cdk.tf.json`), null, 2) + "\n");
}
