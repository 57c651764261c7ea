import * as functions from "@google-cloud/functions-framework";

// Minimal entry point; issue #4 grows it into the nightly reconciliation.
functions.http("reconciliation", (_req, res) => {
  res.status(501).send("reconciliation: not implemented yet");
});
