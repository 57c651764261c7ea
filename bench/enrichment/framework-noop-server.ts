// Child-process entry: the no-op Functions Framework handler on 127.0.0.1:<port>, printing
// "answered <n> <epoch ms>" after every 500th answered request, so (b) can time pushes to it from
// outside without loading the framework (and its per-request domains) into the bench process.
import { getTestServer } from "@google-cloud/functions-framework/testing";
import "./noop-function";

const port = Number(process.argv[2]);
const server = getTestServer("noop");
let answered = 0;
server.on("request", (_req, res) =>
  res.on("finish", () => {
    if (++answered % 500 === 0) console.log(`answered ${answered} ${Date.now()}`);
  }),
);
server.listen(port, "127.0.0.1", () => console.log(`framework no-op listening on http://127.0.0.1:${port}/`));
for (const sig of ["SIGTERM", "SIGINT"] as const) process.once(sig, () => server.close(() => process.exit(0)));
