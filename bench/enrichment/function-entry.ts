// Measured child-process entry (bundled, run by plain node): the enrichment function with its deployed
// HTTP binding, writing to a PacedSink, plus the stats side channel. BENCH_SINK_LATENCY_MS sets
// the insert latency; BENCH_FLUSH_CONCURRENCY, when set, overrides the config's flushConcurrency (sweep).
import * as functions from "@google-cloud/functions-framework";
import { readEnrichmentEnv } from "../../functions/enrichment/env";
import { enrichmentHttp } from "../../functions/enrichment/http-binding";
import { createEnrichmentFunction } from "../../functions/enrichment/wiring";
import { REFERENCE_TABLES } from "../../fixtures/commerce-events";
import { FLUSH_CONCURRENCY_ENV, SINK_LATENCY_ENV } from "./child-env";
import { PacedSink } from "./paced-sink";
import { serveMeasured } from "./serve-measured";

const latencyMs = Number(process.env[SINK_LATENCY_ENV]);
if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new Error(`${SINK_LATENCY_ENV} must be a number of ms, got ${process.env[SINK_LATENCY_ENV]}`);
const flushConcurrency = process.env[FLUSH_CONCURRENCY_ENV] ? Number(process.env[FLUSH_CONCURRENCY_ENV]) : undefined;

const sink = new PacedSink(latencyMs, REFERENCE_TABLES);
const fn = createEnrichmentFunction(readEnrichmentEnv(), { warehouse: sink, flushConcurrency });
functions.http("enrichment", enrichmentHttp(fn));
serveMeasured("enrichment", () => ({ done: sink.rows, calls: sink.calls }));
