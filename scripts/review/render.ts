import { HAZARD_CLASSES, isBlocking } from "./hazard";
import type { EnvironmentReview, ReviewedHazard } from "./environment-review";
import type { Acknowledgement } from "./acknowledgements";

/** A whole review: every environment compared, with what the Markdown shows per changed environment. */
export interface Review {
  /** What was compared, e.g. "a1b2c3d (merge base with origin/main) → working tree". */
  readonly title: string;
  readonly environments: readonly EnvironmentReview[];
  /** Mermaid picture of each changed environment after the change. */
  readonly pictures: Readonly<Record<string, string>>;
  readonly acknowledgements: readonly Acknowledgement[];
}

/** "prod · RISK · topic commerce-events · message retention 31 d → 14 d: the replay window shrinks: ...". */
export function hazardLine(h: ReviewedHazard): string {
  return `${h.environment} · ${h.class} · ${h.subject} · ${h.what}: ${h.why}`;
}

/** "prod · topic commerce-events · message retention 31 d → 14 d", one per detail; "dev · no changes" when none. */
export function changeLines(env: EnvironmentReview): string[] {
  if (env.changes.length === 0) return [`${env.environment} · no changes`];
  return env.changes.flatMap((c) => c.details.map((d) => `${env.environment} · ${c.subject} · ${d}`));
}

function hazardItem(h: ReviewedHazard, acks: readonly Acknowledgement[]): string {
  if (h.acknowledgedBy) {
    const ack = acks.find((a) => a.file === h.acknowledgedBy);
    return `- ✅ ${hazardLine(h)} — acknowledged in \`${h.acknowledgedBy}\`${ack ? `; plan: ${ack.plan}` : ""}`;
  }
  return `- ${isBlocking(h) ? "⛔" : "⚠️"} ${hazardLine(h)}`;
}

/** The PR comment: a summary table, then per changed environment its hazards first, details folded. */
export function renderMarkdown(review: Review): string {
  const out = [`## streamline review: ${review.title}`, ""];
  out.push(`| environment | resources changed | ${HAZARD_CLASSES.join(" | ")} | unacknowledged |`);
  out.push(`|---|---|${HAZARD_CLASSES.map(() => "---").join("|")}|---|`);
  for (const env of review.environments) {
    const count = (cls: string) => env.hazards.filter((h) => h.class === cls).length;
    const open = env.hazards.filter((h) => isBlocking(h) && !h.acknowledgedBy).length;
    const changed = env.changes.length === 0 ? "no changes" : String(env.changes.length);
    out.push(`| ${env.environment} | ${changed} | ${HAZARD_CLASSES.map(count).join(" | ")} | ${open} |`);
  }
  for (const env of review.environments) {
    out.push("", `### ${env.environment}`, "");
    if (env.changes.length === 0) {
      out.push(`${env.environment} · no changes`);
      continue;
    }
    if (env.hazards.length > 0) out.push(...env.hazards.map((h) => hazardItem(h, review.acknowledgements)), "");
    else out.push("No hazards.", "");
    out.push(`<details><summary>${env.environment}: ${env.changes.length} resource(s) changed</summary>`, "");
    out.push(...changeLines(env).map((l) => `- ${l}`), "", "</details>");
    const picture = review.pictures[env.environment];
    if (picture) out.push("", `<details><summary>${env.environment} after this change</summary>`, "", "```mermaid", picture, "```", "", "</details>");
  }
  const blocking = review.environments.flatMap((e) => e.hazards).filter((h) => isBlocking(h) && !h.acknowledgedBy);
  out.push("");
  out.push(
    blocking.length > 0
      ? `**${blocking.length} unacknowledged DATA LOSS / BREAKING hazard(s).** Acknowledge each in a file under \`migrations/\` (hazard, reason, plan), or change the pull request.`
      : "No unacknowledged DATA LOSS or BREAKING hazards.",
  );
  return out.join("\n") + "\n";
}

/** The same review for tools. */
export function renderJson(review: Review): string {
  return (
    JSON.stringify(
      {
        title: review.title,
        environments: review.environments.map((e) => ({ ...e, picture: review.pictures[e.environment] })),
        unacknowledged: review.environments.flatMap((e) => e.hazards).filter((h) => isBlocking(h) && !h.acknowledgedBy),
      },
      null,
      2,
    ) + "\n"
  );
}
