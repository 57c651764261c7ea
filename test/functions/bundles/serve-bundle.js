// Serves an unzipped function source folder the way the Cloud Run functions Node runtime does
// (`functions-framework --target=<entry point>` in that folder: its package.json "main", its
// node_modules), with one difference: it listens on 127.0.0.1 only (the framework's CLI binds every
// interface). Plain Node, no tsx: the bundle runs as deployed.
// Usage: node serve-bundle.js <source folder> <target> <port>
const path = require("node:path");

const [source, target, port] = process.argv.slice(2);
if (!source || !target || !port) {
  console.error("usage: serve-bundle <source folder> <target> <port>");
  process.exit(2);
}
// The framework the bundle declares as its dependency, resolved from the bundle's own node_modules.
const framework = path.join(path.resolve(source), "node_modules", "@google-cloud", "functions-framework", "build", "src");
const { parseOptions } = require(path.join(framework, "options.js"));
const { getUserFunction } = require(path.join(framework, "loader.js"));
const { getServer } = require(path.join(framework, "server.js"));
const { ErrorHandler } = require(path.join(framework, "invoker.js"));

async function main() {
  const options = parseOptions(["node", "functions-framework", `--target=${target}`, `--source=${path.resolve(source)}`, `--port=${port}`], process.env);
  const loaded = await getUserFunction(options.sourceLocation, options.target, options.signatureType);
  if (!loaded) {
    console.error(`could not load function ${target} from ${source}`);
    process.exit(1);
  }
  options.signatureType = loaded.signatureType;
  const server = getServer(loaded.userFunction, options);
  // The framework's own shutdown: SIGTERM/SIGINT close the server and exit.
  new ErrorHandler(server).register();
  server.listen(Number(port), "127.0.0.1", () => console.log(`bundle ${target} (${options.signatureType}) listening on http://127.0.0.1:${port}/`)).setTimeout(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
