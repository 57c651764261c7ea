// The enrichment function writing to a recording warehouse (rows to a JSON-lines file, reference data
// from a JSON file), for the emulator test and the enrichment bench: served by
// local/processes/function-process.ts (target "enrichment"). Same env parser, wiring and HTTP binding
// as the deployed entry (functions/enrichment/index.ts); only the Warehouse adapter is injected here,
// configured by the variables of ./recording-env.ts.
import * as functions from "@google-cloud/functions-framework";
import { readEnrichmentEnv } from "../../functions/enrichment/env";
import { enrichmentHttp } from "../../functions/enrichment/http-binding";
import { createEnrichmentFunction } from "../../functions/enrichment/wiring";
import { recordingWarehouseFromEnv } from "./recording-env";

functions.http("enrichment", enrichmentHttp(createEnrichmentFunction(readEnrichmentEnv(), { warehouse: recordingWarehouseFromEnv() })));
