import * as functions from "@google-cloud/functions-framework";
import { readEnrichmentEnv } from "./env";
import { enrichmentHttp } from "./http-binding";
import { createEnrichmentFunction } from "./wiring";

// Cold start: a missing or invalid env var throws here, naming the variable, and the instance never serves.
functions.http("enrichment", enrichmentHttp(createEnrichmentFunction(readEnrichmentEnv())));
