import type { HttpFunction } from "@google-cloud/functions-framework";
import { httpBinding } from "../runtime/http-binding";
import type { EnrichmentFunction } from "./wiring";

/** The enrichment function's HTTP binding: push request in, the handler's answer out (deployed entry, local entries and bench). */
export function enrichmentHttp(fn: EnrichmentFunction | Promise<EnrichmentFunction>): HttpFunction {
  return httpBinding(fn, (f, req, log) => f.handler.handle(req.body, log));
}
