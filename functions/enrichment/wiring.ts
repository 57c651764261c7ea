import { loadConfig } from "../../config";
import { BigQueryWarehouse } from "../runtime/bigquery-warehouse";
import { PubSubDeadLetterPublisher, type DeadLetterPublisher } from "../runtime/dead-letter-publisher";
import { createLogger, type Logger } from "../runtime/logger";
import type { Warehouse } from "../runtime/warehouse";
import { CuratedWriter } from "./curated-writer";
import type { EnrichmentEnv } from "./env";
import { EnrichmentHandler } from "./handler";
import { RecentEventIds } from "./recent-event-ids";
import { ReferenceCache, loadReferenceData, loadReferenceQueries } from "./reference-cache";

export interface EnrichmentFunction {
  handler: EnrichmentHandler;
  writer: CuratedWriter;
  references: ReferenceCache;
  logger: Logger;
  projectId: string;
}

/** Cold start: config for the environment, adapters, caches; starts the first reference load. */
export function createEnrichmentFunction(
  env: EnrichmentEnv,
  overrides: { warehouse?: Warehouse; deadLetters?: DeadLetterPublisher; /** The bench's sweep; default config. */ flushConcurrency?: number } = {},
): EnrichmentFunction {
  const config = loadConfig(env.environment);
  const logger = createLogger({ level: env.logLevel, base: { function: "enrichment", pipeline_version: env.pipelineVersion } });
  const warehouse = overrides.warehouse ?? new BigQueryWarehouse({ projectId: env.projectId, location: config.bigqueryLocation });
  const deadLetters = overrides.deadLetters ?? new PubSubDeadLetterPublisher({ projectId: env.projectId, topic: env.deadLetterTopic });
  const referenceQueries = loadReferenceQueries();
  const references = new ReferenceCache({
    ttlMs: config.enrichment.refCacheTtlSeconds * 1000,
    load: () => loadReferenceData(warehouse, referenceQueries, Date.now()),
    logger,
  });
  const writer = new CuratedWriter({
    warehouse,
    flushMaxRows: config.enrichment.flushMaxRows,
    flushMaxBytes: config.enrichment.flushMaxBytes,
    flushConcurrency: overrides.flushConcurrency ?? config.enrichment.flushConcurrency,
    logger,
  });
  const handler = new EnrichmentHandler({
    options: { lateThresholdSeconds: config.enrichment.lateThresholdSeconds, pipelineVersion: env.pipelineVersion },
    references,
    writer,
    deadLetters,
    recent: new RecentEventIds(config.enrichment.dedupeCacheSize),
    logger,
  });
  // Warm the cache now; a failure here is retried by the first request, which then answers 503.
  references.refresh().catch((e: unknown) => logger.warn({ err: e, event: "reference_load_failed" }, "initial reference data load failed"));
  return { handler, writer, references, logger, projectId: env.projectId };
}
