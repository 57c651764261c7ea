import type { HttpFunction } from "@google-cloud/functions-framework";
import { lazyChild, traceFields } from "../runtime/logger";
import type { EnrichmentFunction } from "./wiring";

/**
 * The enrichment function's HTTP binding: push request in, the handler's answer out (deployed entry
 * and bench). Not an async function: the framework runs every request in a `domain`, under which each
 * promise costs ~4 µs of async hooks, so the binding adds one `then` and returns nothing to await.
 */
export function enrichmentHttp(fn: EnrichmentFunction): HttpFunction {
  return (req, res) => {
    const trace = traceFields(req.header("X-Cloud-Trace-Context"), fn.projectId);
    const log = Object.keys(trace).length > 0 ? lazyChild(fn.logger, trace) : fn.logger;
    fn.handler.handle(req.body, log).then(
      // end(), not send(): Pub/Sub reads only the status, so express's content-type, ETag and freshness work is skipped.
      (result) => res.status(result.status).end(result.body),
      (e: unknown) => {
        // The handler answers every failure it knows; this is a bug. Non-2xx, so Pub/Sub redelivers.
        log.error({ event: "handler_crashed", err: e }, "enrichment handler threw; answering 500");
        res.status(500).end("internal error");
      },
    );
  };
}
