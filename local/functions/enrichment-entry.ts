// The enrichment function wired to the local warehouse, for the local pipeline (`npm start`), the fault
// run and the replay scenario: served by local/processes/function-process.ts (target "enrichment").
// Same handler and HTTP binding as the deployed entry (functions/enrichment/index.ts); only the
// Warehouse adapter differs, optionally behind a fault switch of local/faults/ chosen by env var:
//   STREAMLINE_LOCAL_SINK_FAULTS (bench:faults): the sink fails or slows as planned;
//   STREAMLINE_FAULT_ACK_WITHOUT_WRITE (replay scenario): the first N rows are acked, never written;
//   STREAMLINE_FAULT_REJECT_ROWS (replay scenario): the next N rows are refused by the table (dead-lettered).
import * as functions from "@google-cloud/functions-framework";
import { readEnrichmentEnv } from "../../functions/enrichment/env";
import { enrichmentHttp } from "../../functions/enrichment/http-binding";
import { createEnrichmentFunction } from "../../functions/enrichment/wiring";
import { ackWithoutWriteFrom } from "../faults/ack-without-write-warehouse";
import { rejectRowsFrom } from "../faults/reject-rows-warehouse";
import { SINK_FAULTS_ENV, withSinkFaultsFrom } from "../faults/sink-faults";
import { LocalWarehouse } from "../warehouse/local-warehouse";
import { startZetaSql } from "../zetasql";
import { localStateDirFromEnv } from "./local-state";

const env = readEnrichmentEnv();
const stateDir = localStateDirFromEnv();

// Joins the ZetaSQL server named by STREAMLINE_ZETASQL_ADDRESS (reference-data queries run there).
const wired = startZetaSql().then((zetasql) => {
  const local = new LocalWarehouse({ stateDir, zetasql });
  const warehouse = ackWithoutWriteFrom(process.env, rejectRowsFrom(process.env, withSinkFaultsFrom(process.env[SINK_FAULTS_ENV], local)));
  return createEnrichmentFunction(env, { warehouse });
});

functions.http("enrichment", enrichmentHttp(wired));
