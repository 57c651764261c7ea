import type { HttpFunction } from "@google-cloud/functions-framework";
import { traceFields } from "../runtime/logger";
import type { EnrichmentFunction } from "./wiring";

/** The enrichment function's HTTP binding: push request in, the handler's answer out (deployed entry and bench). */
export function enrichmentHttp(fn: EnrichmentFunction): HttpFunction {
  return async (req, res) => {
    const trace = traceFields(req.header("X-Cloud-Trace-Context"), fn.projectId);
    const log = Object.keys(trace).length > 0 ? fn.logger.child(trace) : fn.logger;
    const result = await fn.handler.handle(req.body, log);
    // end(), not send(): Pub/Sub reads only the status, so express's content-type, ETag and freshness work is skipped.
    res.status(result.status).end(result.body);
  };
}
