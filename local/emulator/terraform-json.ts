// Kept only for local/scenarios/replay-scenario.ts (another branch owns it); everything else imports
// stacks/terraform-json.ts directly. The next commit switches that import and deletes this file.
export { resourcesOfType, type TerraformJson } from "../../stacks/terraform-json";
