import { createHash } from "node:crypto";
import { commerceEventFields, type CommerceEvent } from "../../contracts";

const FIELD_NAMES = Object.keys(commerceEventFields) as (keyof CommerceEvent)[];

/**
 * What the publisher sent, as a short hash: every contract field in contract order, the attributes
 * map with sorted keys, absent = null. Two copies of one event_id with different fingerprints
 * conflict (a publisher bug or a re-stamped retry); the encoding (Avro JSON or plain) does not count.
 */
export function payloadFingerprint(event: CommerceEvent): string {
  const values = FIELD_NAMES.map((name) => {
    const v = event[name] ?? null;
    return name === "attributes" && v !== null ? Object.entries(v as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : v;
  });
  return createHash("sha256").update(JSON.stringify(values)).digest("base64url").slice(0, 16);
}
