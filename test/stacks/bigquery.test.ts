import { BigqueryTable } from "@cdktf/provider-google/lib/bigquery-table";
import { ENVIRONMENTS, type Environment } from "../../config";
import { toBigQuerySchema } from "../../contracts/derive/bigquery-schema";
import { tableId } from "../../contracts/table";
import { DATASETS, TABLES } from "../../contracts/tables";
import { refTo, resourcesOf, resourceWhere, synthAllEnvironments, type SynthesizedStack } from "./synth-pipeline";

let stacks: Record<Environment, SynthesizedStack>;
let cleanup: () => void;
beforeAll(() => ({ stacks, cleanup } = synthAllEnvironments()));
afterAll(() => cleanup());

const DAY_MS = 86_400_000;
const tables = (s: SynthesizedStack) => resourcesOf(s, "google_bigquery_table").filter((t) => t.view === undefined);

describe.each(ENVIRONMENTS)("bigquery in %s", (env) => {
  test("the five datasets exist in the configured location with labels", () => {
    const s = stacks[env];
    const datasets = resourcesOf(s, "google_bigquery_dataset");
    expect(datasets.map((d) => d.dataset_id).sort()).toEqual([...DATASETS].sort());
    for (const d of datasets) {
      expect(d).toMatchObject({ location: s.config.bigqueryLocation, project: s.config.project, labels: { ...s.config.labels, env } });
    }
  });

  test.each(TABLES.map((t) => [tableId(t), t] as const))("%s: schema, partitioning, expiration, clustering from contract and config", (id, t) => {
    const s = stacks[env];
    const body = tables(s).find((b) => b.table_id === t.table && b.dataset_id === refTo(s, "google_bigquery_dataset", "dataset_id", t.dataset, "dataset_id"));
    expect(body).toBeDefined();
    expect(JSON.parse(body!.schema as string)).toEqual(toBigQuerySchema(t.fields));
    expect(body!.clustering).toEqual([...t.clustering]);
    expect(body!.deletion_protection).toBe(s.config.deletionProtection);
    expect(body!.labels).toEqual({ ...s.config.labels, env });
    if (t.partition === null) {
      expect(t.dataset).toBe("ref");
      expect(body!.time_partitioning).toBeUndefined();
      return;
    }
    const days = s.config.bigquery.partitionExpirationDays[id];
    expect(body!.time_partitioning).toEqual({
      type: t.partition.granularity,
      field: t.partition.field,
      ...(days === null || days === undefined ? {} : { expiration_ms: days * DAY_MS }),
    });
    expect(body!.require_partition_filter).toBe(t.large ? true : undefined);
  });

  test("at least six tables, all partitioned except ref, some clustered", () => {
    const all = tables(stacks[env]);
    expect(all.length).toBeGreaterThanOrEqual(6);
    const unpartitioned = all.filter((t) => t.time_partitioning === undefined);
    for (const t of unpartitioned) expect(t.dataset_id).toContain("dataset-ref_");
    expect(all.filter((t) => Array.isArray(t.clustering) && t.clustering.length > 0).length).toBeGreaterThan(0);
  });

  test("the dedup view reads sql/views with table references pinned to the environment's project", () => {
    const s = stacks[env];
    const view = resourceWhere(s, "google_bigquery_table", "table_id", "commerce_events_dedup");
    const query = (view.view as { query: string; use_legacy_sql: boolean }).query;
    expect((view.view as { use_legacy_sql: boolean }).use_legacy_sql).toBe(false);
    expect(query).toContain(`\`${s.config.project}.curated.commerce_events\``);
    expect(query).toMatch(/QUALIFY ROW_NUMBER\(\)/);
    expect(view.dataset_id).toBe(refTo(s, "google_bigquery_dataset", "dataset_id", "curated", "dataset_id"));
  });

  test.each([
    ["raw-mirror", "commerce-events", "raw", "commerce_events"],
    ["dead-letters", "commerce-events-dlq", "ops", "dead_letters"],
  ])("%s is a BigQuery subscription from %s into %s.%s, metadata columns, raw payload", (name, source, dataset, table) => {
    const s = stacks[env];
    const sub = resourceWhere(s, "google_pubsub_subscription", "name", name);
    expect(sub.topic).toBe(refTo(s, "google_pubsub_topic", "name", source, "id"));
    expect(sub.bigquery_config).toEqual({
      table: `${s.config.project}.${dataset}.${table}`,
      write_metadata: true,
      use_topic_schema: false,
      use_table_schema: false,
    });
    const agent = resourcesOf(s, "google_bigquery_dataset_iam_member").find(
      (g) => g.dataset_id === refTo(s, "google_bigquery_dataset", "dataset_id", dataset, "dataset_id") && String(g.member).includes("gcp-sa-pubsub"),
    );
    expect(agent?.role).toBe("roles/bigquery.dataEditor");
    // Created only once the table exists and the agent may write to it.
    expect(sub.depends_on).toEqual(expect.arrayContaining([expect.stringContaining("google_bigquery_dataset_iam_member.")]));
  });

  test("the mirror tables have every column a BigQuery subscription writes with write_metadata", () => {
    for (const t of TABLES.filter((t) => ["raw.commerce_events", "ops.dead_letters"].includes(tableId(t)))) {
      for (const col of ["subscription_name", "message_id", "publish_time", "data", "attributes"]) expect(Object.keys(t.fields)).toContain(col);
    }
    expect(stacks[env].json).toHaveResourceWithProperties(BigqueryTable, { table_id: "dead_letters", clustering: ["subscription_name", "reason"] });
  });
});

test("prod protects tables from deletion, dev does not; prod keeps raw longer", () => {
  const raw = (env: Environment) =>
    tables(stacks[env]).find((t) => t.table_id === "commerce_events" && String(t.dataset_id).includes("dataset-raw_"))!;
  expect(raw("prod").deletion_protection).toBe(true);
  expect(raw("dev").deletion_protection).toBe(false);
  const expiry = (env: Environment) => (raw(env).time_partitioning as { expiration_ms: number }).expiration_ms;
  expect(expiry("prod")).toBeGreaterThan(expiry("dev"));
});
