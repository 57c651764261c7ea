import type { Schema } from "avsc";
import { attributeChanges } from "./attribute-changes";
import { avroCompatibility } from "./avro-compatibility";
import { columnChanges, parseTableSchema } from "./column-changes";
import { HAZARD_CLASSES, type Hazard } from "./hazard";
import { ackDeadlineHazards, resourceHazards, type HazardContext, type ResourcePair } from "./hazards";
import { resourceName } from "./resource-names";
import type { StackResource, TerraformStack } from "./terraform-stack";

/** One resource that a plan would add, remove or change, named as a person names it. */
export interface ResourceChange {
  readonly action: "added" | "removed" | "changed";
  /** e.g. "topic commerce-events". */
  readonly subject: string;
  /** Terraform address (for tools; not shown in the Markdown). */
  readonly address: string;
  /** What changed, one line each: "message retention 31 d → 14 d", "column note added (STRING NULLABLE)". */
  readonly details: string[];
}

export interface ReviewedHazard extends Hazard {
  readonly environment: string;
  /** The migrations/ file that acknowledges it, when one does. */
  acknowledgedBy?: string;
}

export interface EnvironmentReview {
  readonly environment: string;
  readonly changes: ResourceChange[];
  /** Most severe class first. */
  readonly hazards: ReviewedHazard[];
}

const EMPTY: TerraformStack = { resources: new Map() };

/** Compares one environment's stack before and after; a missing stack counts as empty. Pure. */
export function reviewEnvironment(
  environment: string,
  base: TerraformStack | undefined,
  head: TerraformStack | undefined,
  sqlFiles: Readonly<Record<string, string>>,
): EnvironmentReview {
  const ctx: HazardContext = { environment, base: base ?? EMPTY, head: head ?? EMPTY, sqlFiles };
  const addresses = [...new Set([...ctx.base.resources.keys(), ...ctx.head.resources.keys()])];
  const changes: ResourceChange[] = [];
  const hazards: Hazard[] = [];
  for (const address of addresses) {
    const before = ctx.base.resources.get(address);
    const after = ctx.head.resources.get(address);
    const pair: ResourcePair = { address, type: (before ?? after)!.type, before, after };
    const change = describeChange(pair, ctx);
    if (!change) continue;
    changes.push(change);
    hazards.push(...resourceHazards(pair, ctx));
  }
  hazards.push(...ackDeadlineHazards(ctx));
  changes.sort((a, b) => a.subject.localeCompare(b.subject) || a.address.localeCompare(b.address));
  const rank = (h: Hazard) => HAZARD_CLASSES.indexOf(h.class);
  hazards.sort((a, b) => rank(a) - rank(b) || a.subject.localeCompare(b.subject) || a.what.localeCompare(b.what));
  return { environment, changes, hazards: hazards.map((h) => ({ ...h, environment })) };
}

function describeChange(pair: ResourcePair, ctx: HazardContext): ResourceChange | undefined {
  const { before, after, address } = pair;
  if (!before) return { action: "added", subject: resourceName(ctx.head, after!), address, details: ["added"] };
  if (!after) return { action: "removed", subject: resourceName(ctx.base, before), address, details: ["removed"] };
  const details = [...attributeChanges(ctx.base, before.body, ctx.head, after.body, pair.type).map((c) => c.text), ...contentChanges(before, after, ctx)];
  return details.length === 0 ? undefined : { action: "changed", subject: resourceName(ctx.head, after), address, details };
}

/** Changes inside JSON-valued arguments: table columns and Avro fields. */
function contentChanges(before: StackResource, after: StackResource, ctx: HazardContext): string[] {
  if (before.type === "google_bigquery_table" && before.body.schema !== after.body.schema) {
    const where = resourceName(ctx.head, after);
    const cols = columnChanges(parseTableSchema(before.body.schema, where), parseTableSchema(after.body.schema, where));
    return cols.length > 0 ? cols.map((c) => c.text) : ["column descriptions changed"];
  }
  if (before.type === "google_pubsub_schema" && before.body.definition !== after.body.definition) {
    const compat = avroCompatibility(JSON.parse(String(before.body.definition)) as Schema, JSON.parse(String(after.body.definition)) as Schema);
    return compat.fieldChanges.length > 0 ? compat.fieldChanges.map((f) => `Avro ${f}`) : ["Avro definition changed (docs or order)"];
  }
  return [];
}
