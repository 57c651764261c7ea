import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAcknowledgement } from "../../../scripts/review/acknowledgements";
import { composeReview } from "../../../scripts/review/compose-review";
import { hazardLine, changeLines, renderJson, renderMarkdown } from "../../../scripts/review/render";
import { PROJECT_ROOT } from "../../stacks/synth-pipeline";
import { editColumns, editStack, repositorySql, shippedStacks } from "./stacks-fixture";

const base = shippedStacks();
const sqlFiles = repositorySql();

function review(head: Record<string, string>, acks: ReturnType<typeof parseAcknowledgement>[] = []) {
  const r = composeReview({ title: "test", base, head, sqlFiles, acknowledgements: acks });
  return {
    review: r,
    hazards: r.environments.flatMap((e) => e.hazards.map(hazardLine)),
    changes: r.environments.flatMap(changeLines),
  };
}

const curated = (find: (t: string, k: string, v: unknown) => Record<string, unknown>) => {
  const tables = ["google_bigquery_table"];
  return find(tables[0], "description", "Validated and enriched commerce events (at-least-once: read through commerce_events_dedup).");
};

describe("review of synthesized stacks", () => {
  it("says no changes for every environment when nothing changed", () => {
    const { changes, hazards, review: r } = review({ ...base });
    expect(changes).toEqual(["dev · no changes", "staging · no changes", "prod · no changes"]);
    expect(hazards).toEqual([]);
    expect(renderMarkdown(r)).toContain("No unacknowledged DATA LOSS or BREAKING hazards.");
  });

  it("tells a column type change and a drop (DATA LOSS) from an added NULLABLE column (in place)", () => {
    const prod = editStack(base.prod, (find) =>
      editColumns(curated(find), (cols) => {
        cols.find((c) => c.name === "quantity")!.type = "STRING";
        cols.splice(cols.findIndex((c) => c.name === "session_id"), 1);
        cols.push({ name: "note", type: "STRING", mode: "NULLABLE" });
      }),
    );
    const { hazards, changes } = review({ ...base, prod });
    expect(hazards).toEqual([
      "prod · DATA LOSS · table curated.commerce_events · column quantity INTEGER → STRING: the provider replaces the table to change a column's type: its rows are lost",
      "prod · DATA LOSS · table curated.commerce_events · column session_id dropped (STRING NULLABLE): the provider replaces the table to drop a column: its rows are lost",
      "prod · BREAKING · table curated.commerce_events · column session_id dropped (STRING NULLABLE), still read by sql/parity/recompute_sample.sql, sql/repair/merge_missing_orders.sql: the SQL fails with an unrecognized name once the column is gone",
    ]);
    expect(changes).toEqual([
      "dev · no changes",
      "staging · no changes",
      "prod · table curated.commerce_events · column session_id dropped (STRING NULLABLE)",
      "prod · table curated.commerce_events · column quantity INTEGER → STRING",
      "prod · table curated.commerce_events · column note added (STRING NULLABLE)",
    ]);
  });

  it("passes an added NULLABLE column and a REQUIRED → NULLABLE relaxation without hazards, but not an added REQUIRED column", () => {
    const prod = editStack(base.prod, (find) =>
      editColumns(curated(find), (cols) => {
        cols.find((c) => c.name === "ingest_time")!.mode = "NULLABLE";
        cols.push({ name: "note", type: "STRING", mode: "NULLABLE" });
      }),
    );
    expect(review({ ...base, prod }).hazards).toEqual([]);
    const dev = editStack(base.dev, (find) => editColumns(curated(find), (cols) => cols.push({ name: "tenant", type: "STRING", mode: "REQUIRED" })));
    expect(review({ ...base, dev }).hazards).toEqual([
      "dev · DATA LOSS · table curated.commerce_events · column tenant added (STRING REQUIRED): the provider replaces the table to add a REQUIRED column: its rows are lost",
    ]);
  });

  it("flags a dropped curated column that the SQL still reads as BREAKING", () => {
    const staging = editStack(base.staging, (find) => editColumns(curated(find), (cols) => cols.splice(cols.findIndex((c) => c.name === "revenue_usd"), 1)));
    expect(review({ ...base, staging }).hazards).toContain(
      "staging · BREAKING · table curated.commerce_events · column revenue_usd dropped (NUMERIC NULLABLE), still read by sql/parity/recompute_sample.sql, sql/reconciliation/discrepancies.sql, sql/repair/merge_missing_orders.sql: the SQL fails with an unrecognized name once the column is gone",
    );
  });

  it("names the topic, both values and the environment when prod's retention is cut (RISK) and dev's raised (COST)", () => {
    const prod = editStack(base.prod, (find) => (find("google_pubsub_topic", "name", "commerce-events").message_retention_duration = "1209600s"));
    const dev = editStack(base.dev, (find) => (find("google_pubsub_topic", "name", "commerce-events").message_retention_duration = "172800s"));
    const { hazards, changes } = review({ ...base, prod, dev });
    expect(hazards).toEqual([
      "dev · COST · topic commerce-events · message retention 1 d → 2 d: messages are kept and billed longer",
      "prod · RISK · topic commerce-events · message retention 31 d → 14 d: the replay window shrinks: messages older than 14 d can no longer be replayed or seeked",
    ]);
    expect(changes).toContain("prod · topic commerce-events · message retention 31 d → 14 d");
    expect(changes).toContain("staging · no changes");
  });

  it("reports Avro revisions that do not resolve both ways as BREAKING, and optional additions as safe", () => {
    const edit = (fields: (f: { name: string; type: unknown; default?: unknown }[]) => void) =>
      editStack(base.prod, (find) => {
        const schema = find("google_pubsub_schema", "name", "commerce-event");
        const def = JSON.parse(String(schema.definition)) as { fields: { name: string; type: unknown; default?: unknown }[] };
        fields(def.fields);
        schema.definition = JSON.stringify(def);
      });
    const breaking = review({ ...base, prod: edit((f) => (f.find((x) => x.name === "quantity")!.type = ["null", "string"])) });
    expect(breaking.hazards).toEqual([
      'prod · BREAKING · schema commerce-event · Avro field quantity null|long → null|string: readers on the new schema cannot read messages published with the old one (cannot read "long" as ["null","string"]); readers on the old schema cannot read messages published with the new one (cannot read "string" as ["null","long"])',
    ]);
    const additive = review({ ...base, prod: edit((f) => f.push({ name: "note", type: ["null", "string"], default: null })) });
    expect(additive.hazards).toEqual([]);
    expect(additive.changes).toContain("prod · schema commerce-event · Avro field note added (null|string)");
    const required = review({ ...base, prod: edit((f) => f.push({ name: "tenant", type: "string" })) });
    expect(required.hazards[0]).toMatch(/^prod · BREAKING · schema commerce-event · Avro field tenant added \(string\): readers on the new schema cannot read messages published with the old one/);
  });

  it("flags fewer attempts, ack deadline below the function timeout, more min instances, opened ingress", () => {
    const prod = editStack(base.prod, (find) => {
      const sub = find("google_pubsub_subscription", "name", "enrichment");
      (sub.dead_letter_policy as Record<string, unknown>).max_delivery_attempts = 5;
      const fn = find("google_cloudfunctions2_function", "name", "enrichment");
      const s = fn.service_config as Record<string, unknown>;
      s.timeout_seconds = 120;
      s.min_instance_count = 3;
      s.ingress_settings = "ALLOW_ALL";
    });
    expect(review({ ...base, prod }).hazards).toEqual([
      "prod · RISK · function enrichment · ingress ALLOW_INTERNAL_ONLY → ALLOW_ALL: ingress opened: the service accepts requests from outside the project's network",
      "prod · RISK · subscription enrichment · ack deadline 1 min < function enrichment timeout 2 min: Pub/Sub redelivers a message the function is still processing: duplicate work and writes",
      "prod · RISK · subscription enrichment · max delivery attempts 10 → 5: messages are dead-lettered after fewer tries: a short outage of the endpoint now dead-letters them",
      "prod · RISK · subscription enrichment-replay · ack deadline 1 min < function enrichment timeout 2 min: Pub/Sub redelivers a message the function is still processing: duplicate work and writes",
      "prod · COST · function enrichment · min instances 1 → 3: instances that are always on are billed around the clock",
    ]);
  });

  it("handles added resources generically and flags new and public grants", () => {
    const staging = editStack(base.staging, (_find, tf) => {
      tf.resource.google_pubsub_topic["replay_topic_0001"] = { name: "commerce-events-replay", message_retention_duration: "86400s" };
      tf.resource.google_pubsub_topic_iam_member["replay_publisher_0002"] = {
        topic: "${google_pubsub_topic.replay_topic_0001.name}",
        role: "roles/pubsub.publisher",
        member: "allUsers",
      };
      tf.resource.google_bigquery_table["markers_0003"] = { dataset_id: "ledger", table_id: "load_markers", schema: "[]" };
    });
    const { hazards, changes } = review({ ...base, staging });
    expect(changes).toEqual([
      "dev · no changes",
      "staging · grant roles/pubsub.publisher on topic commerce-events-replay to allUsers · added",
      "staging · table ledger.load_markers · added",
      "staging · topic commerce-events-replay · added",
      "prod · no changes",
    ]);
    expect(hazards).toEqual([
      "staging · RISK · grant roles/pubsub.publisher on topic commerce-events-replay to allUsers · public member allUsers: anyone on the internet gets the role",
    ]);
  });

  it("treats turning deletion protection off as DATA LOSS in staging and prod only, and a removed table always", () => {
    const off = (json: string) =>
      editStack(json, (find) => {
        find("google_bigquery_table", "table_id", "orders").deletion_protection = false;
      });
    const removed = editStack(base.dev, (find, tf) => {
      const t = tf.resource.google_bigquery_table;
      const id = Object.keys(t).find((k) => t[k] === find("google_bigquery_table", "table_id", "fx_rates"))!;
      delete t[id];
    });
    const { hazards } = review({ ...base, dev: removed, prod: off(base.prod) });
    expect(hazards).toEqual([
      "dev · DATA LOSS · table ref.fx_rates · table removed: Terraform deletes the table and every row in it",
      "prod · DATA LOSS · table ledger.orders · deletion protection turned off: nothing stops a later plan from deleting the table and its rows",
    ]);
  });

  it("shortened and removed partition expiration are RISK and COST, a partition column change is DATA LOSS", () => {
    const prod = editStack(base.prod, (find) => {
      const raw = find("google_bigquery_table", "description", "Every message published to commerce-events, as published (BigQuery subscription mirror).");
      (raw.time_partitioning as Record<string, unknown>).expiration_ms = 30 * 86_400_000;
      const dl = find("google_bigquery_table", "table_id", "dead_letters");
      delete (dl.time_partitioning as Record<string, unknown>).expiration_ms;
      const runs = find("google_bigquery_table", "table_id", "reconciliation_runs");
      (runs.time_partitioning as Record<string, unknown>).field = "started_at";
    });
    expect(review({ ...base, prod }).hazards).toEqual([
      "prod · DATA LOSS · table ops.reconciliation_runs · partition column run_date → started_at: the provider replaces the table to change its partitioning: its rows are lost",
      "prod · RISK · table raw.commerce_events · partition expiration 90 d → 30 d: partitions older than 30 d are deleted (sooner than before)",
      "prod · COST · table ops.dead_letters · partition expiration 180 d → (none): data is kept forever and billed as storage",
    ]);
  });

  it("counts a hazard as acknowledged only with a migrations/ file naming it for that environment", () => {
    const edit = (json: string) => editStack(json, (find) => editColumns(curated(find), (cols) => (cols.find((c) => c.name === "quantity")!.type = "STRING")));
    const ack = parseAcknowledgement(
      "migrations/2026-12-01-quantity-as-string.json",
      JSON.stringify({
        hazards: ["DATA LOSS · table curated.commerce_events · column quantity INTEGER → STRING"],
        environments: ["dev"],
        reason: "Quantities arrive as decimal strings from the new POS.",
        plan: "backfill from raw mirror after recreate",
      }),
    );
    const { review: r } = review({ ...base, dev: edit(base.dev), prod: edit(base.prod) }, [ack]);
    const open = r.environments.flatMap((e) => e.hazards.filter((h) => !h.acknowledgedBy).map((h) => h.environment));
    expect(open).toEqual(["prod"]);
    const md = renderMarkdown(r);
    expect(md).toContain(
      "- ✅ dev · DATA LOSS · table curated.commerce_events · column quantity INTEGER → STRING: the provider replaces the table to change a column's type: its rows are lost — acknowledged in `migrations/2026-12-01-quantity-as-string.json`; plan: backfill from raw mirror after recreate",
    );
    expect(md).toContain("**1 unacknowledged DATA LOSS / BREAKING hazard(s).**");
  });

  it("gives tools the same review as JSON: changes, hazards, pictures and the unacknowledged list", () => {
    const prod = editStack(base.prod, (find) => editColumns(curated(find), (cols) => (cols.find((c) => c.name === "quantity")!.type = "STRING")));
    const json = JSON.parse(renderJson(review({ ...base, prod }).review)) as {
      environments: { environment: string; changes: { action: string; subject: string; details: string[] }[]; picture?: string }[];
      unacknowledged: { class: string; environment: string; subject: string; what: string }[];
    };
    expect(json.environments.map((e) => [e.environment, e.changes.length, Boolean(e.picture)])).toEqual([
      ["dev", 0, false],
      ["staging", 0, false],
      ["prod", 1, true],
    ]);
    expect(json.environments[2].changes[0]).toMatchObject({ action: "changed", subject: "table curated.commerce_events", details: ["column quantity INTEGER → STRING"] });
    expect(json.unacknowledged).toEqual([
      expect.objectContaining({ class: "DATA LOSS", environment: "prod", subject: "table curated.commerce_events", what: "column quantity INTEGER → STRING" }),
    ]);
  });

  it("rejects an acknowledgement without a real reason or plan, naming the file and field", () => {
    expect(() => parseAcknowledgement("migrations/x.json", JSON.stringify({ hazards: ["DATA LOSS · a · b"], reason: "because", plan: "recreate and backfill" }))).toThrow(
      "invalid acknowledgement migrations/x.json:\n  - reason: reason must say why, in at least 10 characters",
    );
    expect(() => parseAcknowledgement("migrations/y.json", "{")).toThrow(/^migrations\/y\.json: not JSON/);
  });
});

describe("README sample", () => {
  it("shows the hazard and change lines this review prints for the same change", () => {
    const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
    const sample = /## Reviewing a pull request[\s\S]*?```markdown\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    // Archive lines come from rebuilt functions, which editing the synthesized JSON does not do.
    const shown = sample.split("\n").filter((l) => l.startsWith("- ") && !l.includes("source archive")).map((l) => l.slice(2));
    expect(shown.length).toBeGreaterThan(5);
    const edit = (json: string, env: string) =>
      editStack(json, (find) => {
        if (env === "prod") find("google_pubsub_topic", "name", "commerce-events").message_retention_duration = "1209600s";
        editColumns(find("google_bigquery_table", "table_id", "orders"), (cols) => (cols.find((c) => c.name === "quantity")!.type = "STRING"));
        editColumns(curated(find), (cols) => cols.push({ name: "coupon_code", type: "STRING", mode: "NULLABLE" }));
      });
    const { review: r } = review(Object.fromEntries(Object.entries(base).map(([env, json]) => [env, edit(json, env)])));
    const printed = renderMarkdown(r).split("\n").filter((l) => l.startsWith("- ")).map((l) => l.slice(2));
    expect(printed).toEqual(shown);
  });
});
