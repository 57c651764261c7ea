import type { HttpFunction, Request } from "@google-cloud/functions-framework";
import { traceFields, type Logger } from "./logger";

/** A handler's answer to one HTTP request: text (ack/retry for Pub/Sub push) or a JSON object. */
export interface HttpAnswer {
  status: number;
  body: string | Record<string, unknown>;
}

/** What the binding needs of a wired function: its logger and the project its Cloud Trace ids belong to. */
export interface TracedFunction {
  logger: Logger;
  projectId: string;
}

/**
 * The HTTP binding both functions share: per request a logger carrying the request's Cloud Trace id,
 * the handler's answer, its status and body out. `fn` may be a promise (an entry that wires
 * asynchronously): requests then wait for it; a ready function is served without that extra await.
 */
export function httpBinding<F extends TracedFunction>(fn: F | Promise<F>, answer: (f: F, req: Request, log: Logger) => Promise<HttpAnswer>): HttpFunction {
  const serve = async (f: F, req: Request, res: Parameters<HttpFunction>[1]) => {
    const trace = traceFields(req.header("X-Cloud-Trace-Context"), f.projectId);
    const log = Object.keys(trace).length > 0 ? f.logger.child(trace) : f.logger;
    const result = await answer(f, req, log);
    // Text with end(), not send(): Pub/Sub reads only the status, so express's content-type, ETag and freshness work is skipped.
    if (typeof result.body === "string") res.status(result.status).end(result.body);
    else res.status(result.status).json(result.body);
  };
  if (fn instanceof Promise) return async (req, res) => serve(await fn, req, res);
  return (req, res) => serve(fn, req, res);
}
