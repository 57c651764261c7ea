import { BigQueryWarehouse } from "../runtime/bigquery-warehouse";
import { createLogger, type Logger } from "../runtime/logger";
import type { Warehouse } from "../runtime/warehouse";
import { PubSubAlertPublisher, type AlertPublisher } from "./alert-publisher";
import { settingsFromConfig, type ReconciliationEnv } from "./env";
import { ReconciliationHandler } from "./handler";
import { loadReconciliationSql } from "./sql-files";

export interface ReconciliationFunction {
  handler: ReconciliationHandler;
  logger: Logger;
  projectId: string;
}

export interface WiringOverrides {
  /** Default: BigQuery in the env's project and the config's location. */
  warehouse?: Warehouse;
  /** Default: Pub/Sub on the env's alerts topic. */
  alerts?: AlertPublisher;
  logger?: Logger;
  /** Default: the sql/ folder found from this file (see sql-files.ts). */
  sqlDir?: string;
}

/** Builds the function once per instance (cold start): config, SQL texts, adapters, handler. */
export function createReconciliationFunction(env: ReconciliationEnv, o: WiringOverrides = {}): ReconciliationFunction {
  const logger = o.logger ?? createLogger({ level: env.logLevel, base: { function: "reconciliation", pipeline_version: env.pipelineVersion } });
  const warehouse = o.warehouse ?? new BigQueryWarehouse({ projectId: env.projectId, location: env.config.bigqueryLocation });
  const alerts = o.alerts ?? new PubSubAlertPublisher({ projectId: env.projectId, topic: env.alertsTopic });
  const sql = loadReconciliationSql(o.sqlDir);
  const handler = new ReconciliationHandler({ warehouse, alerts, logger, sql }, settingsFromConfig(env.config, env.pipelineVersion));
  return { handler, logger, projectId: env.projectId };
}
