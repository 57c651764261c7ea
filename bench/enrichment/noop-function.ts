import * as functions from "@google-cloud/functions-framework";

// The ceiling: a Functions Framework handler that does nothing, served exactly like the function.
functions.http("noop", (_req, res) => {
  res.status(204).send("");
});
