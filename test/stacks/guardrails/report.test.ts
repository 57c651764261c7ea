import * as fs from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { ENVIRONMENTS } from "../../../config";
import { RULES, suppressGuardrail } from "../../../stacks/guardrails";
import { synthShippedStacks } from "./shipped-stacks";
import { cleanUpOutdirs, judge, smallPipeline } from "./small-pipeline";

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8"));
const shipped = synthShippedStacks();

afterAll(() => {
  shipped.cleanup();
  cleanUpOutdirs();
});

describe("shipped stacks", () => {
  it.each(ENVIRONMENTS)("%s synthesizes with zero violations and a report listing every rule", (env) => {
    const report = readJson(path.join(shipped.stacks[env].reportDir, "guardrails.json"));
    expect(report.violations).toEqual([]);
    expect(report.environment).toBe(env);
    expect(report.rules.map((r: { id: string }) => r.id)).toEqual([...RULES.map((r) => r.id), "GR-001"]);
    expect(report.rules.find((r: { id: string }) => r.id === "FN-002").checkov).toEqual(["CKV_GCP_124"]);
  });

  it.each(ENVIRONMENTS)("%s writes SARIF 2.1.0 naming every rule", (env) => {
    const sarif = readJson(path.join(shipped.stacks[env].reportDir, "guardrails.sarif"));
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs).toHaveLength(1);
    expect(sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toContain("PS-003");
    expect(sarif.runs[0].results).toEqual([]);
  });
});

describe("report of a failing synth", () => {
  it("is still written, with each violation as a SARIF result pointing at its rule and resource", () => {
    const p = smallPipeline("prod", { rawTable: { deletionProtection: false } });
    expect(() => Testing.synth(p.stack, true)).toThrow(/BQ-005 prod\/raw-commerce-events/);
    const dir = path.join(p.app.outdir, "stacks", "prod");
    const json = readJson(path.join(dir, "guardrails.json"));
    expect(json.violations).toEqual([expect.objectContaining({ ruleId: "BQ-005", address: "google_bigquery_table.raw-commerce-events", path: "prod/raw-commerce-events" })]);
    const sarif = readJson(path.join(dir, "guardrails.sarif"));
    const [result] = sarif.runs[0].results;
    expect(result).toMatchObject({ ruleId: "BQ-005", level: "error" });
    expect(sarif.runs[0].tool.driver.rules[result.ruleIndex].id).toBe("BQ-005");
    expect(sarif.runs[0].tool.driver.rules[result.ruleIndex].properties.checkov).toEqual(["CKV_GCP_121"]);
    expect(result.locations[0].logicalLocations[0]).toEqual({ name: "google_bigquery_table.raw-commerce-events", fullyQualifiedName: "prod/raw-commerce-events", kind: "resource" });
  });
});

describe("suppressions", () => {
  const reason = "ref data is rebuilt from the catalogue nightly";
  const NOW = new Date("2026-03-01T12:00:00Z");

  it("silence the rule on the construct and below, and are reported", () => {
    const p = smallPipeline("prod", { rawTable: { deletionProtection: false } }, { now: NOW });
    suppressGuardrail(p.rawTable, { rule: "BQ-005", reason, expires: "2026-03-01" });
    const result = judge(p);
    expect(result.violations).toEqual([]);
    expect(result.suppressions).toEqual([
      expect.objectContaining({ rule: "BQ-005", path: "prod/raw-commerce-events", expired: false, covered: [expect.objectContaining({ ruleId: "BQ-005" })] }),
    ]);
  });

  it("count as a violation once expired, and stop silencing", () => {
    const p = smallPipeline("prod", { rawTable: { deletionProtection: false } }, { now: NOW });
    suppressGuardrail(p.rawTable, { rule: "BQ-005", reason, expires: "2026-02-28" });
    expect(judge(p).violations.map((v) => v.ruleId)).toEqual(["BQ-005", "GR-001"]);
  });

  it("do not silence another rule or another construct", () => {
    const p = smallPipeline("prod", { rawTable: { deletionProtection: false } }, { now: NOW });
    suppressGuardrail(p.rawTable, { rule: "BQ-004", reason });
    suppressGuardrail(p.subscription, { rule: "BQ-005", reason });
    expect(judge(p).violations.map((v) => v.ruleId)).toEqual(["BQ-005"]);
  });

  it("need a reason of at least 10 characters, a known rule and a real date", () => {
    const p = smallPipeline("prod");
    expect(() => suppressGuardrail(p.rawTable, { rule: "BQ-005", reason: "legacy" })).toThrow(/prod\/raw-commerce-events.*at least 10 characters/);
    expect(() => suppressGuardrail(p.rawTable, { rule: "XX-001", reason })).toThrow(/unknown rule "XX-001"/);
    expect(() => suppressGuardrail(p.rawTable, { rule: "BQ-005", reason, expires: "2026-02-30" })).toThrow(/expires must be a date/);
  });
});
