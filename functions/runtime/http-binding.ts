import type { HttpFunction, Request } from "@google-cloud/functions-framework";
import { lazyChild, traceFields, type Logger } from "./logger";

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
 * The HTTP binding both functions share: per request a logger carrying the request's Cloud Trace id
 * (made only if the request logs), the handler's answer, its status and body out. `fn` may be a
 * promise (an entry that wires asynchronously): requests then wait for it.
 *
 * Not async: the Functions Framework runs every request in a `domain`, under which each promise costs
 * ~4 µs of async hooks; a ready function's request adds one `then` and returns nothing to await.
 */
export function httpBinding<F extends TracedFunction>(fn: F | Promise<F>, answer: (f: F, req: Request, log: Logger) => Promise<HttpAnswer>): HttpFunction {
  const serve = (f: F, req: Request, res: Parameters<HttpFunction>[1]): void => {
    const trace = traceFields(req.header("X-Cloud-Trace-Context"), f.projectId);
    const log = Object.keys(trace).length > 0 ? lazyChild(f.logger, trace) : f.logger;
    answer(f, req, log).then(
      (result) => {
        // Text with end(), not send(): Pub/Sub reads only the status, so express's content-type, ETag and freshness work is skipped.
        if (typeof result.body === "string") res.status(result.status).end(result.body);
        else res.status(result.status).json(result.body);
      },
      (e: unknown) => {
        // The handlers answer every failure they know; this is a bug. Non-2xx, so a push is redelivered.
        log.error({ event: "handler_crashed", err: e }, "handler threw; answering 500");
        res.status(500).end("internal error");
      },
    );
  };
  if (fn instanceof Promise) {
    return (req, res) => {
      fn.then(
        (f) => serve(f, req, res),
        () => res.status(503).end("function failed to start"),
      );
    };
  }
  return (req, res) => serve(fn, req, res);
}
