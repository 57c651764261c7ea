// A Functions Framework function for the supervision tests: answers with its PID; POST /hang blocks
// its event loop for good (a process that is up but no longer answers).
import * as functions from "@google-cloud/functions-framework";

functions.http("pid", (req, res) => {
  if (req.path === "/hang") {
    res.status(202).send("hanging");
    setTimeout(() => {
      for (;;) {
        /* busy forever: only SIGKILL ends this */
      }
    }, 10);
    return;
  }
  res.status(200).send(String(process.pid));
});
