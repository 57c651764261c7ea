import * as functions from "@google-cloud/functions-framework";
import type { CloudEvent } from "@google-cloud/functions-framework";
import { traceFields } from "../runtime/logger";
import { fromCloudEvent, fromHttp } from "./trigger";
import type { ReconciliationFunction } from "./wiring";

/**
 * Registers both entry points: `reconciliation` (HTTP: our push subscription, and manual runs) and
 * `reconciliationEvent` (CloudEvent, for an Eventarc trigger). `fn` may still be starting up.
 */
export function registerReconciliation(fn: ReconciliationFunction | Promise<ReconciliationFunction>): void {
  functions.http("reconciliation", async (req, res) => {
    const f = await fn;
    const trace = traceFields(req.header("X-Cloud-Trace-Context"), f.projectId);
    const log = Object.keys(trace).length > 0 ? f.logger.child(trace) : f.logger;
    const result = await f.handler.handle(() => fromHttp(req.body, req.query as Record<string, unknown>, new Date()), log);
    res.status(result.status).json(result.body);
  });

  functions.cloudEvent<unknown>("reconciliationEvent", async (event: CloudEvent<unknown>) => {
    const f = await fn;
    const result = await f.handler.handle(() => fromCloudEvent(event, new Date()));
    // A CloudEvent function signals "retry" by failing.
    if (result.status >= 300) throw new Error(`reconciliation not done (${result.status}): ${JSON.stringify(result.body)}`);
  });
}
