import { finding, type GuardrailRule } from "../rule";

export const REQUIRED_LABELS = ["env", "team", "cost_center"] as const;

export const requiredLabels: GuardrailRule = {
  id: "LBL-001",
  title: "Labelable resources carry env, team and cost_center",
  rationale: "Billing export and ownership lookups group by these labels; an unlabelled resource is an orphan on the bill.",
  fix: "Set the labels on the google provider's default_labels (config labels + env) or on the resource; env must be the stack's environment.",
  check(ctx) {
    return ctx.view.resources
      .filter((r) => ctx.labelableAddresses.has(r.address))
      .flatMap((r) => {
        const labels: Record<string, unknown> = { ...ctx.view.defaultLabels, ...((r.config.labels as Record<string, unknown> | undefined) ?? {}) };
        const missing = REQUIRED_LABELS.filter((l) => typeof labels[l] !== "string" || labels[l] === "");
        if (missing.length) return [finding(this, r, `lacks label(s) ${missing.join(", ")}`)];
        if (labels.env !== ctx.environment) return [finding(this, r, `has label env=${String(labels.env)} in the ${ctx.environment} stack`)];
        return [];
      });
  },
};

export const LABEL_RULES = [requiredLabels];
