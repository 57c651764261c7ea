import { getTestServer } from "@google-cloud/functions-framework/testing";
import type { Server } from "node:http";
import { MEASURED_PORT_ENV } from "./child-env";
import { serveStats } from "./stats-channel";

/**
 * In a measured child (a bundle run by plain node, no tsx): serves the registered Functions Framework
 * `target` on 127.0.0.1:$BENCH_PORT like local/processes/serve-function.ts does, plus the stats channel
 * (`server`: a plain node server instead, for the floor without the framework).
 */
export function serveMeasured(target: string, counts: () => { done: number; calls: number }, server: Server = getTestServer(target)): void {
  const port = Number(process.env[MEASURED_PORT_ENV]);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`${MEASURED_PORT_ENV} must name a port, got ${process.env[MEASURED_PORT_ENV]}`);
  serveStats(counts);
  server.keepAliveTimeout = 65_000;
  // A backlog for the (e) sweep's 1000 connections opened at once (Node's default 511 dropped some);
  // Cloud Run's front end does not open an instance's connections in one burst.
  server.listen(port, "127.0.0.1", 2048, () => console.log(`measured ${target} listening on http://127.0.0.1:${port}/`));
  for (const sig of ["SIGTERM", "SIGINT"] as const) process.once(sig, () => server.close(() => process.exit(0)));
}
