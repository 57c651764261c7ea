import type { Schema } from "avsc";
import { isPublicMember } from "../../stacks/guardrails/iam-grants";
import { attributeChanges, type AttributeChange } from "./attribute-changes";
import { avroCompatibility } from "./avro-compatibility";
import { columnChanges, parseTableSchema } from "./column-changes";
import type { Hazard } from "./hazard";
import { durationSecondsOf, humanSeconds } from "./humanize";
import { memberName, resourceName } from "./resource-names";
import { referenceTarget, resolveLiteral, type StackResource, type TerraformStack } from "./terraform-stack";

/** Environments whose data deletion protection guards (dev has none by design). */
const PROTECTED_ENVIRONMENTS = new Set(["staging", "prod"]);

/** One resource as it was and as it will be; `before` or `after` is absent for an addition or removal. */
export interface ResourcePair {
  readonly address: string;
  readonly type: string;
  readonly before?: StackResource;
  readonly after?: StackResource;
}

export interface HazardContext {
  readonly environment: string;
  readonly base: TerraformStack;
  readonly head: TerraformStack;
  /** SQL files of the head tree (path -> text), to find columns the SQL still reads. */
  readonly sqlFiles: Readonly<Record<string, string>>;
}

const isView = (r?: StackResource) => Boolean(r?.body.view);
const seconds = (path: string, v: unknown) => durationSecondsOf(path.split(".").pop() ?? path, v);

/** Hazards of one resource change, by the rules of issue #12 (DATA LOSS, BREAKING, RISK, COST). */
export function resourceHazards(pair: ResourcePair, ctx: HazardContext): Hazard[] {
  const subject = pair.after ? resourceName(ctx.head, pair.after) : resourceName(ctx.base, pair.before!);
  const hazards: Hazard[] = [];
  const add = (cls: Hazard["class"], what: string, why: string) => hazards.push({ class: cls, subject, what, why });
  const changes = pair.before && pair.after ? attributeChanges(ctx.base, pair.before.body, ctx.head, pair.after.body, pair.type) : [];
  const changed = (path: string) => changes.find((c) => c.path === path);

  if (pair.type === "google_bigquery_table" && !isView(pair.before ?? pair.after)) {
    if (pair.before && !pair.after) add("DATA LOSS", "table removed", "Terraform deletes the table and every row in it");
    if (pair.before && pair.after) tableHazards(pair.before, pair.after, changes, ctx, add);
  }
  if (pair.type === "google_bigquery_dataset") {
    if (pair.before && !pair.after) add("DATA LOSS", "dataset removed", "Terraform deletes the dataset and the tables in it");
    const rename = changed("dataset_id");
    if (rename) add("DATA LOSS", `renamed ${rename.text.replace(/^dataset id /, "")}`, "the provider replaces the dataset; its tables do not move");
  }
  for (const path of ["message_retention_duration", "time_partitioning.expiration_ms", "default_partition_expiration_ms"]) {
    const c = changed(path);
    if (c) retentionHazard(pair.type, c, add);
  }
  const attempts = changed("dead_letter_policy.max_delivery_attempts");
  if (attempts && Number(attempts.after) < Number(attempts.before)) {
    add("RISK", attempts.text, "messages are dead-lettered after fewer tries: a short outage of the endpoint now dead-letters them");
  }
  const minInstances = changed("service_config.min_instance_count");
  if (minInstances && Number(minInstances.after ?? 0) > Number(minInstances.before ?? 0)) {
    add("COST", minInstances.text, "instances that are always on are billed around the clock");
  }
  for (const c of changes.filter((x) => /(^|\.)ingress(_settings)?$/.test(x.path))) {
    if (!/INTERNAL/.test(String(c.after))) add("RISK", c.text, "ingress opened: the service accepts requests from outside the project's network");
  }
  if (pair.type === "google_pubsub_topic" && pair.before && !pair.after) {
    add("RISK", "topic removed", "publishers to it fail and its retained messages are deleted");
  }
  if (pair.type === "google_pubsub_schema" && pair.before && pair.after) schemaHazards(pair.before, pair.after, add);
  if (/_iam_(member|binding)$/.test(pair.type) && pair.after) grantHazards(pair, ctx, add);
  return hazards;
}

type Add = (cls: Hazard["class"], what: string, why: string) => void;

function tableHazards(before: StackResource, after: StackResource, changes: AttributeChange[], ctx: HazardContext, add: Add): void {
  for (const c of changes.filter((x) => ["table_id", "dataset_id", "project"].includes(x.path))) {
    add("DATA LOSS", `renamed: ${c.text}`, "the provider replaces the table under its new name; the rows stay with the old one, which is deleted");
  }
  const where = resourceName(ctx.head, after);
  const cols = columnChanges(parseTableSchema(before.body.schema, where), parseTableSchema(after.body.schema, where));
  for (const col of cols) {
    if (col.replacesBecause) add("DATA LOSS", col.text, `${col.replacesBecause}: its rows are lost`);
    if (col.kind === "dropped") {
      const readers = sqlReading(ctx.sqlFiles, String(resolveLiteral(ctx.head, after.body.table_id)), col.column);
      if (readers.length > 0) add("BREAKING", `${col.text}, still read by ${readers.join(", ")}`, "the SQL fails with an unrecognized name once the column is gone");
    }
  }
  for (const c of changes.filter((x) => x.path === "time_partitioning.field" || x.path === "time_partitioning.type")) {
    add("DATA LOSS", c.text, "the provider replaces the table to change its partitioning: its rows are lost");
  }
  const hadPartitioning = Boolean(before.body.time_partitioning);
  if (hadPartitioning !== Boolean(after.body.time_partitioning)) {
    add("DATA LOSS", hadPartitioning ? "partitioning removed" : "partitioning added", "the provider replaces the table to change its partitioning: its rows are lost");
  }
  const protection = changes.find((c) => c.path === "deletion_protection");
  if (protection && protection.before === true && protection.after !== true && PROTECTED_ENVIRONMENTS.has(ctx.environment)) {
    add("DATA LOSS", "deletion protection turned off", "nothing stops a later plan from deleting the table and its rows");
  }
}

function retentionHazard(type: string, c: AttributeChange, add: Add): void {
  const before = seconds(c.path, c.before);
  const after = seconds(c.path, c.after);
  const isTable = c.path !== "message_retention_duration";
  if (after !== undefined && (before === undefined || after < before)) {
    add(
      "RISK",
      c.text,
      isTable
        ? `partitions older than ${humanSeconds(after)} are deleted${before === undefined ? "" : " (sooner than before)"}`
        : `the replay window shrinks: messages older than ${humanSeconds(after)} can no longer be replayed or seeked`,
    );
  } else if (before !== undefined && (after === undefined || after > before)) {
    add("COST", c.text, after === undefined ? "data is kept forever and billed as storage" : `${isTable ? "partitions" : "messages"} are kept and billed longer`);
  }
  void type;
}

function schemaHazards(before: StackResource, after: StackResource, add: Add): void {
  const parse = (r: StackResource) => JSON.parse(String(r.body.definition)) as Schema;
  const compat = avroCompatibility(parse(before), parse(after));
  if (compat.problems.length > 0) {
    add("BREAKING", `Avro ${compat.fieldChanges.join("; ") || "definition changed"}`, compat.problems.join("; "));
  }
}

function grantHazards(pair: ResourcePair, ctx: HazardContext, add: Add): void {
  const after = pair.after!;
  const members = (r: StackResource) => (Array.isArray(r.body.members) ? r.body.members : [r.body.member]).map(String);
  const now = members(after);
  const publicMembers = now.filter(isPublicMember);
  if (publicMembers.length > 0) {
    add("RISK", `public member ${publicMembers.join(", ")}`, "anyone on the internet gets the role");
    return;
  }
  const roleChanged = pair.before && pair.before.body.role !== after.body.role;
  const widened = !pair.before || roleChanged || now.some((m) => !members(pair.before!).includes(m));
  if (widened) {
    const who = now.map((m) => memberName(ctx.head, m)).join(", ");
    add("RISK", pair.before ? "grant widened" : "grant added", `${who} gains ${String(after.body.role)}`);
  }
}

/** SQL files that mention the table and the column as whole words (comments stripped). */
export function sqlReading(sqlFiles: Readonly<Record<string, string>>, table: string, column: string): string[] {
  const word = (w: string) => new RegExp(`\\b${w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`);
  return Object.entries(sqlFiles)
    .filter(([, text]) => {
      const code = text.replace(/--[^\n]*/g, "");
      return word(table).test(code) && word(column).test(code);
    })
    .map(([path]) => path)
    .sort();
}

/**
 * The ack ≥ timeout rule across resources: a push subscription whose ack deadline is shorter than
 * its function's timeout redelivers messages still being processed. Reported when the head breaks
 * the rule and the base did not.
 */
export function ackDeadlineHazards(ctx: HazardContext): Hazard[] {
  const broken = (stack: TerraformStack) => {
    const out = new Map<string, { subject: string; ack: number; timeout: number; fn: string }>();
    for (const sub of stack.resources.values()) {
      if (sub.type !== "google_pubsub_subscription") continue;
      const endpoint = (sub.body.push_config as { push_endpoint?: unknown } | undefined)?.push_endpoint;
      const target = referenceTarget(stack, endpoint);
      if (!target || target.resource.type !== "google_cloudfunctions2_function") continue;
      const ack = Number(sub.body.ack_deadline_seconds ?? 10);
      const timeout = Number((target.resource.body.service_config as { timeout_seconds?: unknown } | undefined)?.timeout_seconds ?? 60);
      if (ack < timeout) out.set(sub.address, { subject: resourceName(stack, sub), ack, timeout, fn: resourceName(stack, target.resource) });
    }
    return out;
  };
  const before = broken(ctx.base);
  return [...broken(ctx.head)]
    .filter(([address]) => !before.has(address))
    .map(([, b]) => ({
      class: "RISK" as const,
      subject: b.subject,
      what: `ack deadline ${humanSeconds(b.ack)} < ${b.fn} timeout ${humanSeconds(b.timeout)}`,
      why: "Pub/Sub redelivers a message the function is still processing: duplicate work and writes",
    }));
}
