import { findAcknowledgement, type Acknowledgement } from "./acknowledgements";
import { environmentPicture } from "./environment-picture";
import { reviewEnvironment } from "./environment-review";
import type { Review } from "./render";
import { parseTerraformStack } from "./terraform-stack";

/** cdk.tf.json text per environment ("dev", "prod", ...), as synthesized from one tree. */
export type SynthesizedStacks = Readonly<Record<string, string>>;

export interface ReviewInputs {
  readonly title: string;
  readonly base: SynthesizedStacks;
  readonly head: SynthesizedStacks;
  /** Environments to show; default: every environment of either side. */
  readonly environments?: readonly string[];
  readonly sqlFiles: Readonly<Record<string, string>>;
  readonly acknowledgements: readonly Acknowledgement[];
}

/** The whole review from both sides' synthesized stacks. Pure. */
export function composeReview(inputs: ReviewInputs): Review {
  const all = [...new Set([...Object.keys(inputs.base), ...Object.keys(inputs.head)])];
  const order = ["dev", "staging", "prod"];
  const envs = (inputs.environments ?? all).slice().sort((a, b) => rank(order, a) - rank(order, b) || a.localeCompare(b));
  const pictures: Record<string, string> = {};
  const environments = envs.map((env) => {
    const parse = (side: SynthesizedStacks, label: string) =>
      side[env] === undefined ? undefined : parseTerraformStack(side[env], `${label} stack of ${env}`);
    const head = parse(inputs.head, "head");
    const review = reviewEnvironment(env, parse(inputs.base, "base"), head, inputs.sqlFiles);
    for (const h of review.hazards) h.acknowledgedBy = findAcknowledgement(inputs.acknowledgements, h, env)?.file;
    if (review.changes.length > 0 && head) pictures[env] = environmentPicture(head);
    return review;
  });
  return { title: inputs.title, environments, pictures, acknowledgements: inputs.acknowledgements };
}

function rank(order: string[], env: string): number {
  const i = order.indexOf(env);
  return i === -1 ? order.length : i;
}
