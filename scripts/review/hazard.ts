/** The hazard classes a review reports, most severe first, and what a hazard is. Pure. */
export const HAZARD_CLASSES = ["DATA LOSS", "BREAKING", "RISK", "COST"] as const;
export type HazardClass = (typeof HAZARD_CLASSES)[number];

/** Classes that fail the review unless a file under migrations/ acknowledges them. */
export const BLOCKING_CLASSES: readonly HazardClass[] = ["DATA LOSS", "BREAKING"];

export interface Hazard {
  readonly class: HazardClass;
  /** The resource as a person names it, e.g. "table curated.commerce_events". */
  readonly subject: string;
  /** The change, e.g. "column quantity INTEGER → STRING". */
  readonly what: string;
  /** One line of why it is hazardous. */
  readonly why: string;
}

/** What a migrations/ file names to acknowledge a hazard: "DATA LOSS · table curated.commerce_events · column quantity INTEGER → STRING". */
export function hazardKey(h: Pick<Hazard, "class" | "subject" | "what">): string {
  return `${h.class} · ${h.subject} · ${h.what}`;
}

export function isBlocking(h: Pick<Hazard, "class">): boolean {
  return BLOCKING_CLASSES.includes(h.class);
}
