import { hash } from "node:crypto";
import { commerceEventFields, type CommerceEvent } from "../../contracts";

const FIELD_NAMES = Object.keys(commerceEventFields) as (keyof CommerceEvent)[];

/**
 * What the publisher sent, as a short hash: every contract field in contract order, the attributes
 * map with sorted keys, absent = null. Two copies of one event_id with different fingerprints
 * conflict (a publisher bug or a re-stamped retry); the encoding (Avro JSON or plain) does not count.
 */
export function payloadFingerprint(event: CommerceEvent): string {
  const values: unknown[] = [];
  for (const name of FIELD_NAMES) {
    const v = event[name] ?? null;
    values.push(name === "attributes" && v !== null ? sortedEntries(v as Record<string, string>) : v);
  }
  // crypto.hash is the one-shot form: a third of createHash().update().digest() for inputs this small.
  return hash("sha256", JSON.stringify(values), "base64url").slice(0, 16);
}

function sortedEntries(map: Record<string, string>): [string, string][] {
  const entries = Object.entries(map);
  return entries.length < 2 ? entries : entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
