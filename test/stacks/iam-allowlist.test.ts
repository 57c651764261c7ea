import * as fs from "node:fs";
import * as path from "node:path";
import { ENVIRONMENTS } from "../../config";
import { iamAllowListLines, TerraformView } from "../../stacks/guardrails";
import { synthShippedStacks } from "./guardrails/shipped-stacks";

// Every IAM grant of every environment, as reviewed. A new grant fails this test until the file is
// regenerated, so it shows up in review as a diff of the file:
//   UPDATE_IAM_ALLOWLIST=1 npx jest test/stacks/iam-allowlist.test.ts
const ALLOWLIST = path.join(__dirname, "iam-allowlist.txt");
const HEADER = [
  "# IAM allow-list: every grant in every environment's synthesized stack.",
  "# env | resource type | target | role | member",
  "# Regenerate after a reviewed change: UPDATE_IAM_ALLOWLIST=1 npx jest test/stacks/iam-allowlist.test.ts",
];
// Regeneration is a developer's act; CI only ever compares.
const updating = process.env.UPDATE_IAM_ALLOWLIST === "1" && !process.env.CI;

const shipped = synthShippedStacks();
afterAll(() => shipped.cleanup());

const granted = ENVIRONMENTS.flatMap((env) => iamAllowListLines(env, new TerraformView(shipped.stacks[env].id, shipped.stacks[env].tf)));

describe("IAM allow-list", () => {
  if (updating) {
    it("is regenerated", () => {
      fs.writeFileSync(ALLOWLIST, [...HEADER, ...granted].join("\n") + "\n");
      expect(fs.readFileSync(ALLOWLIST, "utf8")).toContain(granted[0]);
    });
    return;
  }

  it("lists exactly the grants every environment makes", () => {
    const allowed = fs
      .readFileSync(ALLOWLIST, "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "" && !l.startsWith("#"));
    expect(granted).toEqual(allowed);
  });

  it("covers every environment and resolves every reference to a name", () => {
    for (const env of ENVIRONMENTS) expect(granted.some((l) => l.startsWith(`${env} |`))).toBe(true);
    expect(granted.filter((l) => l.includes("${"))).toEqual([]);
  });
});
