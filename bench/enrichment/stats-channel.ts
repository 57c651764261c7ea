import { createServer } from "node:http";
import { STATS_PORT_ENV } from "./child-env";

/** What a measured process says about itself: its own CPU time and memory, and how much work it finished. */
export interface ProcessStats {
  /** process.cpuUsage(): user + system CPU time of the whole process, microseconds. */
  cpuUs: number;
  /** Resident set size now, bytes. */
  rssBytes: number;
  /** Peak resident set size since start, bytes (getrusage maxrss). */
  maxRssBytes: number;
  /** Units of work finished: rows written (function) or requests answered (no-op). */
  done: number;
  /** Insert calls made (function only; 0 otherwise). */
  calls: number;
}

/**
 * In the measured process: answers GET with its ProcessStats as JSON on 127.0.0.1:$BENCH_STATS_PORT.
 * A side channel of the bench entry, so nothing in functions/ knows it is measured; polled only at the
 * edges of a window, so its own cost is two requests per window.
 */
export function serveStats(counts: () => { done: number; calls: number }): void {
  const port = Number(process.env[STATS_PORT_ENV]);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`${STATS_PORT_ENV} must name a port, got ${process.env[STATS_PORT_ENV]}`);
  const server = createServer((_req, res) => {
    const cpu = process.cpuUsage();
    const stats: ProcessStats = { cpuUs: cpu.user + cpu.system, rssBytes: process.memoryUsage.rss(), maxRssBytes: process.resourceUsage().maxRSS * 1024, ...counts() };
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(stats));
  });
  server.unref();
  server.listen(port, "127.0.0.1");
}

/** In the bench: one reading of a measured process's stats. */
export async function readStats(port: number): Promise<ProcessStats> {
  const res = await fetch(`http://127.0.0.1:${port}/`);
  if (!res.ok) throw new Error(`stats channel on ${port} answered ${res.status}`);
  return (await res.json()) as ProcessStats;
}
