import * as functions from "@google-cloud/functions-framework";

// Minimal entry point; issue #3 grows it into the validate -> dedupe -> enrich -> write handler.
functions.http("enrichment", (_req, res) => {
  res.status(501).send("enrichment: not implemented yet");
});
