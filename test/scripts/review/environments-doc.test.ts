import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENTS_DOC, renderEnvironmentsDoc } from "../../../scripts/review/environments-doc";
import { PROJECT_ROOT } from "../../stacks/synth-pipeline";
import { editStack, shippedStacks } from "./stacks-fixture";

const stacks = shippedStacks();

describe("environment pictures", () => {
  it(`${ENVIRONMENTS_DOC} matches the synthesized stacks (regenerate: npm run docs:environments)`, () => {
    expect(readFileSync(join(PROJECT_ROOT, ENVIRONMENTS_DOC), "utf8")).toBe(renderEnvironmentsDoc(stacks));
  });

  it("draws topics → subscriptions → functions → tables with retention, attempts and the schedule on the edges", () => {
    const prod = renderEnvironmentsDoc({ prod: stacks.prod });
    for (const line of [
      `  topic_commerce_events[("topic commerce-events<br/>retention 31 d")]`,
      `  topic_commerce_events -->|"keeps 7 d"| sub_enrichment`,
      `  sub_enrichment -->|"push, ack 1 min"| fn_enrichment`,
      `  sub_enrichment -.->|"after 10 attempts"| topic_commerce_events_dlq`,
      `  sub_raw_mirror -->|"BigQuery subscription"| table_raw_commerce_events`,
      `  fn_enrichment -->|"writes"| dataset_curated`,
      `  schedule_nightly_reconciliation -->|"30 2 * * * Europe/Amsterdam"| topic_reconcile_requests`,
    ]) {
      expect(prod.split("\n")).toContain(line);
    }
  });

  it("follows the stack: a shorter retention and fewer attempts change the picture", () => {
    const edited = editStack(stacks.prod, (find) => {
      find("google_pubsub_topic", "name", "commerce-events").message_retention_duration = "1209600s";
      (find("google_pubsub_subscription", "name", "enrichment").dead_letter_policy as Record<string, unknown>).max_delivery_attempts = 3;
    });
    const lines = renderEnvironmentsDoc({ prod: edited }).split("\n");
    expect(lines).toContain(`  topic_commerce_events[("topic commerce-events<br/>retention 14 d")]`);
    expect(lines).toContain(`  sub_enrichment -.->|"after 3 attempts"| topic_commerce_events_dlq`);
  });
});
