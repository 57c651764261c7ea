// Child-process entry: serves one Functions Framework function on 127.0.0.1 only (the framework's
// own CLI listens on every interface). Usage: serve-function <module> <target> <port>
import { getTestServer } from "@google-cloud/functions-framework/testing";
import { resolve } from "node:path";

const [modulePath, target, port] = process.argv.slice(2);
if (!modulePath || !target || !port) {
  console.error("usage: serve-function <module> <target> <port>");
  process.exit(2);
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
require(resolve(modulePath));
const server = getTestServer(target);
server.keepAliveTimeout = 65_000;
server.listen(Number(port), "127.0.0.1", () => console.log(`function ${target} listening on http://127.0.0.1:${port}/`));
for (const sig of ["SIGTERM", "SIGINT"] as const) process.once(sig, () => server.close(() => process.exit(0)));
