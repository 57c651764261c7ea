import * as functions from "@google-cloud/functions-framework";
import type { CloudEvent } from "@google-cloud/functions-framework";
import { httpBinding } from "../runtime/http-binding";
import { fromCloudEvent, fromHttp } from "./trigger";
import type { ReconciliationFunction } from "./wiring";

/**
 * Registers both entry points: `reconciliation` (HTTP: our push subscription, and manual runs) and
 * `reconciliationEvent` (CloudEvent, for an Eventarc trigger). `fn` may still be starting up.
 */
export function registerReconciliation(fn: ReconciliationFunction | Promise<ReconciliationFunction>): void {
  functions.http(
    "reconciliation",
    httpBinding(fn, (f, req, log) => f.handler.handle(() => fromHttp(req.body, req.query as Record<string, unknown>, new Date()), log)),
  );

  functions.cloudEvent<unknown>("reconciliationEvent", async (event: CloudEvent<unknown>) => {
    const f = await fn;
    const result = await f.handler.handle(() => fromCloudEvent(event, new Date()));
    // A CloudEvent function signals "retry" by failing.
    if (result.status >= 300) throw new Error(`reconciliation not done (${result.status}): ${JSON.stringify(result.body)}`);
  });
}
