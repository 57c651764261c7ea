import { z } from "zod";
import { hazardKey, isBlocking, type Hazard } from "./hazard";

/**
 * A file under migrations/ that acknowledges destructive or breaking changes, reviewed like code:
 * which hazards (as the review prints them, without the environment), why, and the plan.
 */
export const acknowledgementSchema = z
  .object({
    hazards: z.array(z.string().min(1)).min(1).describe('e.g. "DATA LOSS · table curated.commerce_events · column quantity INTEGER → STRING"'),
    environments: z.array(z.enum(["dev", "staging", "prod"])).min(1).optional().describe("default: every environment"),
    reason: z.string().trim().min(10, "reason must say why, in at least 10 characters"),
    plan: z.string().trim().min(10, 'plan must say what happens to the data, e.g. "backfill from raw mirror after recreate"'),
  })
  .strict();

export type Acknowledgement = z.infer<typeof acknowledgementSchema> & { readonly file: string };

/** Validates one migrations/ file; throws naming the file and the field. */
export function parseAcknowledgement(file: string, text: string): Acknowledgement {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not JSON (${(err as Error).message})`);
  }
  const parsed = acknowledgementSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  - ${i.path.join(".") || "(file)"}: ${i.message}`).join("\n");
    throw new Error(`invalid acknowledgement ${file}:\n${issues}`);
  }
  return { ...parsed.data, file };
}

/** The acknowledgement covering a hazard in an environment (undefined environment: the schema guard, any). */
export function findAcknowledgement(acks: readonly Acknowledgement[], hazard: Hazard, environment?: string): Acknowledgement | undefined {
  const key = hazardKey(hazard);
  return acks.find(
    (a) => a.hazards.includes(key) && (environment === undefined || a.environments === undefined || a.environments.includes(environment as "dev")),
  );
}

/** Hazards that fail the check: DATA LOSS and BREAKING without an acknowledgement. */
export function unacknowledged<H extends Hazard & { acknowledgedBy?: string }>(hazards: readonly H[]): H[] {
  return hazards.filter((h) => isBlocking(h) && !h.acknowledgedBy);
}
