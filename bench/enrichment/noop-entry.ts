// Measured child-process entry (bundled, run by plain node): a no-op Functions Framework handler with
// the stats side channel. BENCH_NOOP_VARIANT picks what the handler does per request, so the bench
// can price each piece of per-request work the framework leaves to the function.
import * as functions from "@google-cloud/functions-framework";
import { createServer } from "node:http";
import { createLogger, traceFields } from "../../functions/runtime/logger";
import { NOOP_VARIANTS, NOOP_VARIANT_ENV, type NoopVariant } from "./child-env";
import { serveMeasured } from "./serve-measured";

const variant = (process.env[NOOP_VARIANT_ENV] ?? "send") as NoopVariant;
if (!(variant in NOOP_VARIANTS)) throw new Error(`${NOOP_VARIANT_ENV} must be one of ${Object.keys(NOOP_VARIANTS).join(", ")}, got ${variant}`);
const logger = createLogger({ level: "info" });
let answered = 0;

functions.http("noop", (req, res) => {
  answered++;
  if (variant === "end") {
    res.status(204).end();
    return;
  }
  if (variant === "send+trace-logger") {
    const trace = traceFields(req.header("X-Cloud-Trace-Context"), "streamline-bench");
    if (Object.keys(trace).length === 0 || !logger.child(trace)) throw new Error("the bench sends a trace header on every request");
  }
  res.status(204).send("");
});
const bare = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    answered++;
    res.statusCode = 204;
    res.end();
  });
});
serveMeasured("noop", () => ({ done: answered, calls: 0 }), variant === "node-http" ? bare : undefined);
