import { ENVIRONMENTS, type Environment } from "../../config";
import { synthAllEnvironments, type SynthesizedStack } from "./synth-pipeline";

let stacks: Record<Environment, SynthesizedStack>;
let cleanup: () => void;
beforeAll(() => ({ stacks, cleanup } = synthAllEnvironments()));
afterAll(() => cleanup());

// A reviewed picture of each environment: any change to what deploys shows up as a snapshot diff.
test.each(ENVIRONMENTS)("%s synthesizes to the reviewed Terraform JSON", (env) => {
  expect(stacks[env].tf).toMatchSnapshot();
});
