import autocannon from "autocannon";
import { commerceEventFields, toAvroJson } from "../../contracts";
import { orderPlaced } from "../../fixtures/commerce-events";

export interface LoadResult {
  rps: number;
  p99Ms: number;
  non2xx: number;
  requests: number;
}

/** Real push envelopes, each with its own event id so none is dropped as a duplicate. */
export function pushEnvelopes(count: number, prefix: string): string[] {
  return Array.from({ length: count }, (_, i) => {
    const event = orderPlaced({ event_id: `${prefix}-${i}`, order_id: `o-${i}`, occurred_at: new Date().toISOString() });
    const data = Buffer.from(JSON.stringify(toAvroJson(commerceEventFields, event))).toString("base64");
    return JSON.stringify({ message: { data, messageId: String(i), attributes: {}, publishTime: new Date().toISOString() }, subscription: "projects/streamline-local/subscriptions/enrichment" });
  });
}

/** Each body once, in order; running out is an error, since a resent event id is dropped as a duplicate and answered faster. */
export function distinct(bodies: string[]): () => string {
  let next = 0;
  return () => {
    if (next >= bodies.length) throw new Error(`load generator ran out of distinct bodies after ${bodies.length}`);
    return bodies[next++];
  };
}

/** The bodies over and over (for a handler that does not care about duplicates). */
export function cycle(bodies: string[]): () => string {
  let next = 0;
  return () => bodies[next++ % bodies.length];
}

/** autocannon at `connections` concurrent requests for `seconds` against url, taking bodies from `nextBody`. */
export async function drive(url: string, nextBody: () => string, connections: number, seconds: number): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    method: "POST",
    headers: { "content-type": "application/json" },
    requests: [{ setupRequest: (req) => ({ ...req, body: nextBody() }) }],
  });
  return { rps: result.requests.average, p99Ms: result.latency.p99, non2xx: result.non2xx, requests: result.requests.total };
}
