import * as functions from "@google-cloud/functions-framework";
import { traceFields } from "../runtime/logger";
import { readEnrichmentEnv } from "./env";
import { createEnrichmentFunction } from "./wiring";

// Cold start: a missing or invalid env var throws here, naming the variable, and the instance never serves.
const fn = createEnrichmentFunction(readEnrichmentEnv());

functions.http("enrichment", async (req, res) => {
  const trace = traceFields(req.header("X-Cloud-Trace-Context"), fn.projectId);
  const log = Object.keys(trace).length > 0 ? fn.logger.child(trace) : fn.logger;
  const result = await fn.handler.handle(req.body, log);
  res.status(result.status).send(result.body);
});
