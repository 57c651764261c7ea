// The enrichment function wired to the local warehouse with a fault switch (local/faults/), for the
// replay scenario: STREAMLINE_FAULT_ACK_WITHOUT_WRITE=N makes it ack its first N curated rows without
// writing them, recording their event ids in STREAMLINE_FAULT_RECORD_FILE. Served like the normal
// local entry (local/processes/function-process.ts, target "enrichment"); never deployed.
import * as functions from "@google-cloud/functions-framework";
import { readEnrichmentEnv } from "../../functions/enrichment/env";
import { createEnrichmentFunction } from "../../functions/enrichment/wiring";
import { traceFields } from "../../functions/runtime/logger";
import { LocalWarehouse } from "../warehouse/local-warehouse";
import { startZetaSql } from "../zetasql";
import { AckWithoutWriteWarehouse, FAULT_ENV } from "./ack-without-write-warehouse";

const LOCAL_STATE_DIR_ENV = "STREAMLINE_LOCAL_STATE_DIR";

const env = readEnrichmentEnv();
const stateDir = process.env[LOCAL_STATE_DIR_ENV];
if (!stateDir) throw new Error(`${LOCAL_STATE_DIR_ENV} is required but not set: the local warehouse's state folder`);
const count = Number(process.env[FAULT_ENV.ackWithoutWrite] ?? "0");
const recordFile = process.env[FAULT_ENV.recordFile];
if (!Number.isInteger(count) || count < 0) throw new Error(`${FAULT_ENV.ackWithoutWrite} must be an integer >= 0`);
if (count > 0 && !recordFile) throw new Error(`${FAULT_ENV.recordFile} is required with ${FAULT_ENV.ackWithoutWrite}`);

const fn = startZetaSql().then((zetasql) => {
  const local = new LocalWarehouse({ stateDir, zetasql });
  const warehouse = count > 0 ? new AckWithoutWriteWarehouse(local, { table: "curated.commerce_events", count, recordFile: recordFile! }) : local;
  return createEnrichmentFunction(env, { warehouse });
});

functions.http("enrichment", async (req, res) => {
  const f = await fn;
  const trace = traceFields(req.header("X-Cloud-Trace-Context"), f.projectId);
  const log = Object.keys(trace).length > 0 ? f.logger.child(trace) : f.logger;
  const result = await f.handler.handle(req.body, log);
  res.status(result.status).send(result.body);
});
