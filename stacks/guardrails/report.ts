import type { GuardrailResult } from "./evaluate";

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
export const TOOL_NAME = "streamline-guardrails";

/** The guardrail report as JSON: rules checked (with checkov/Trivy ids), violations, suppressions. */
export function toJsonReport(result: GuardrailResult): object {
  return {
    stack: result.stack,
    environment: result.environment,
    summary: {
      rulesChecked: result.rules.length,
      violations: result.violations.length,
      suppressions: result.suppressions.length,
      suppressedFindings: result.suppressions.filter((s) => !s.expired).reduce((n, s) => n + s.covered.length, 0),
    },
    rules: result.rules.map((r) => ({
      id: r.id,
      title: r.title,
      rationale: r.rationale,
      fix: r.fix,
      checkov: r.checkov ?? [],
      trivy: r.trivy ?? [],
      violations: result.violations.filter((v) => v.ruleId === r.id).length,
    })),
    violations: result.violations.map((v) => ({ ruleId: v.ruleId, path: v.path, address: v.address, message: v.message, fix: v.fix })),
    suppressions: result.suppressions.map((s) => ({
      rule: s.rule,
      path: s.path,
      reason: s.reason,
      expires: s.expires ?? null,
      expired: s.expired,
      covered: s.covered.map((f) => ({ path: f.path, address: f.address, message: f.message })),
    })),
  };
}

/**
 * SARIF 2.1.0 for code-review tools: one run, our rules in tool.driver.rules, one result per
 * violation (level error) and per suppressed finding (with its suppression, so reviewers see it).
 */
export function toSarifReport(result: GuardrailResult, synthesizedFile: string): object {
  const ruleIndex = new Map(result.rules.map((r, i) => [r.id, i]));
  const location = (path: string, address: string) => ({
    physicalLocation: { artifactLocation: { uri: synthesizedFile } },
    logicalLocations: [{ name: address, fullyQualifiedName: path, kind: "resource" }],
  });
  const violations = result.violations.map((v) => ({
    ruleId: v.ruleId,
    ruleIndex: ruleIndex.get(v.ruleId),
    level: "error",
    message: { text: `${v.path} (${v.address}): ${v.message}. Fix: ${v.fix}` },
    locations: [location(v.path, v.address)],
  }));
  const suppressed = result.suppressions
    .filter((s) => !s.expired)
    .flatMap((s) =>
      s.covered.map((f) => ({
        ruleId: f.ruleId,
        ruleIndex: ruleIndex.get(f.ruleId),
        level: "error",
        message: { text: `${f.path} (${f.address}): ${f.message}` },
        locations: [location(f.path, f.address)],
        suppressions: [{ kind: "inSource", status: "accepted", justification: s.expires ? `${s.reason} (until ${s.expires})` : s.reason }],
      })),
    );
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            rules: result.rules.map((r) => ({
              id: r.id,
              name: r.title,
              shortDescription: { text: r.title },
              fullDescription: { text: r.rationale },
              help: { text: r.fix },
              defaultConfiguration: { level: "error" },
              properties: { tags: [...(r.checkov ?? []), ...(r.trivy ?? [])], checkov: r.checkov ?? [], trivy: r.trivy ?? [] },
            })),
          },
        },
        results: [...violations, ...suppressed],
      },
    ],
  };
}
