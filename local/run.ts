// `npm start`: the whole pipeline on this machine. A thin entry: options in, report out; every
// process it starts is stopped by PID on the way out, also on Ctrl-C (local/managed-process.ts).
import { parseCliOptions } from "./pipeline/cli-options";
import { runLocalPipeline } from "./pipeline/local-pipeline";
import { renderMarkdown, writeReport } from "./pipeline/report";
import { runProblems } from "./pipeline/verdict";

async function main(): Promise<void> {
  // `npm start -- --scenario replay`: a scenario instead of the day (local/scenarios/).
  if (process.argv.slice(2).some((a) => a === "--scenario" || a.startsWith("--scenario="))) {
    const { runScenarioCli } = await import("./scenarios/scenario-cli");
    process.exit(await runScenarioCli(process.argv.slice(2)));
  }
  const options = parseCliOptions(process.argv.slice(2));
  const { report, running } = await runLocalPipeline(options);
  const files = writeReport(options.stateDir, report);
  console.log("\n" + renderMarkdown(report));
  console.log(`report: ${files.json}\n        ${files.md}`);
  if (running) {
    console.log("\nStill running (Ctrl-C stops everything). To explore, e.g. with gcloud or a client library:\n");
    for (const [k, v] of Object.entries(running.env)) console.log(`export ${k}=${v}`);
    setInterval(() => undefined, 1 << 30);
    return;
  }
  const problems = runProblems(report);
  for (const p of problems) console.error(`FAILED: ${p}`);
  // 2: the run finished but did not do what it should (1 is a crash before the report).
  process.exit(problems.length === 0 ? 0 : 2);
}

main().catch((e: unknown) => {
  console.error(`\nnpm start failed: ${e instanceof Error ? e.message : String(e)}`);
  // The exit hook of local/managed-process.ts stops whatever is still running, by PID.
  process.exit(1);
});
