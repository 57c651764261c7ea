// Environment variables the bench passes to its measured child processes, in one place: the entries
// read them, instance-load sets them (importing an entry would run it).

/** Loopback port the measured process serves its function on. */
export const MEASURED_PORT_ENV = "BENCH_PORT";
/** Loopback port the measured process answers its stats on. */
export const STATS_PORT_ENV = "BENCH_STATS_PORT";
/** function-entry: ms each insert call takes. */
export const SINK_LATENCY_ENV = "BENCH_SINK_LATENCY_MS";
/** function-entry: overrides enrichment.flushConcurrency (the sweep). */
export const FLUSH_CONCURRENCY_ENV = "BENCH_FLUSH_CONCURRENCY";
/** noop-entry: which per-request work the no-op handler does. */
export const NOOP_VARIANT_ENV = "BENCH_NOOP_VARIANT";

export const NOOP_VARIANTS = {
  /** res.status(204).send(""): what the enrichment binding does. */
  send: 'status(204).send("")',
  /** res.status(204).end(): skips express's send (content-type, length, freshness checks). */
  end: "status(204).end()",
  /** send, plus the binding's per-request trace parsing and child logger. */
  "send+trace-logger": "send + traceFields + logger.child per request",
  /** No framework at all: node:http reading the body and answering 204 (the floor, for reference). */
  "node-http": "node:http, no framework",
} as const;
export type NoopVariant = keyof typeof NOOP_VARIANTS;
