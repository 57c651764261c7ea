import autocannon from "autocannon";
import { commerceEventFields, toAvroJson } from "../../contracts";
import { orderPlaced } from "../../test/functions/enrichment/fixtures";

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

/** autocannon at `connections` concurrent requests for `seconds` against url, cycling through bodies. */
export async function drive(url: string, bodies: string[], connections: number, seconds: number): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    method: "POST",
    headers: { "content-type": "application/json" },
    requests: [{ setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }) }],
  });
  return { rps: result.requests.average, p99Ms: result.latency.p99, non2xx: result.non2xx, requests: result.requests.total };
}
