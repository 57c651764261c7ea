// The enrichment function wired to the local warehouse, for the local pipeline (`npm start`): serve it
// with local/processes/function-process.ts (module: this file, target: "enrichment"). Not part of the deployed
// bundle (that is index.ts, on BigQuery). Same handler; only the Warehouse adapter differs.
import * as functions from "@google-cloud/functions-framework";
import { SINK_FAULTS_ENV, withSinkFaultsFrom } from "../../local/faults/sink-faults";
import { LocalWarehouse } from "../../local/warehouse/local-warehouse";
import { startZetaSql } from "../../local/zetasql";
import { traceFields } from "../runtime/logger";
import { readEnrichmentEnv } from "./env";
import { createEnrichmentFunction } from "./wiring";

/** Folder of the local warehouse's tables (the same variable the reconciliation's local entry reads). */
const LOCAL_STATE_DIR_ENV = "STREAMLINE_LOCAL_STATE_DIR";

const env = readEnrichmentEnv();
const stateDir = process.env[LOCAL_STATE_DIR_ENV];
if (!stateDir) throw new Error(`${LOCAL_STATE_DIR_ENV} is required but not set: the local warehouse's state folder`);

// Joins the ZetaSQL server named by STREAMLINE_ZETASQL_ADDRESS (reference-data queries run there).
// A fault run (bench:faults) sets STREAMLINE_LOCAL_SINK_FAULTS: the sink then fails or slows as planned.
const fn = startZetaSql().then((zetasql) =>
  createEnrichmentFunction(env, { warehouse: withSinkFaultsFrom(process.env[SINK_FAULTS_ENV], new LocalWarehouse({ stateDir, zetasql })) }),
);

functions.http("enrichment", async (req, res) => {
  const f = await fn;
  const trace = traceFields(req.header("X-Cloud-Trace-Context"), f.projectId);
  const log = Object.keys(trace).length > 0 ? f.logger.child(trace) : f.logger;
  const result = await f.handler.handle(req.body, log);
  res.status(result.status).send(result.body);
});
