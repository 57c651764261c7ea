import { join } from "node:path";
import { startFunctionProcess } from "../../local/function-process";
import { startPubSubEmulator } from "../../local/pubsub-emulator";
import { synthDevStack } from "../../test/emulator/enrichment-dev-stack";
import { bundleEnrichment } from "./bundle-size";
import { measureCpuPath } from "./cpu-path";
import { measureFunctionPush, measureRawPush } from "./emulator-push";
import { startBenchFunction } from "./function-under-test";
import { drive, pushEnvelopes } from "./http-load";

// `npm run bench:enrichment`: (a) CPU path, (b) end to end through the emulator's push subscription,
// (c) production-like HTTP load on one instance vs a no-op Functions Framework handler. Prints
// measured numbers only; the last line is the summary other tooling parses.
const PUSH_EVENTS = 20_000;
const RAW_PUSH_EVENTS = 10_000;
const HTTP_CONNECTIONS = 64;
const HTTP_SECONDS = 10;
const INSERT_DELAY_MS = 30;

const round = (n: number, digits = 0) => Number(n.toFixed(digits));

async function main(): Promise<void> {
  const { dir, zipBytes } = bundleEnrichment();
  const zipKb = round(zipBytes / 1024, 1);
  console.log(`bundle: dist/functions/enrichment.zip ${zipKb} KiB (what the stack uploads)`);
  const bundle = join(dir, "index.js");

  const cpuEps = round(measureCpuPath());
  console.log(`(a) cpu path: ${cpuEps} events/s on one core (decode + validate + enrich + row build)`);

  const emulator = await startPubSubEmulator();
  let pushEps: number, rawPushEps: number, pushP50: number, pushP99: number;
  try {
    const fn = await startBenchFunction({ module: bundle, insertDelayMs: 0, emulatorHost: emulator.host, projectId: emulator.projectId });
    try {
      const push = await measureFunctionPush(emulator, synthDevStack(), fn, PUSH_EVENTS);
      pushEps = round(push.eps);
      pushP50 = round(push.p50Ms);
      pushP99 = round(push.p99Ms);
    } finally {
      await fn.stop();
    }
    rawPushEps = round(await measureRawPush(emulator, RAW_PUSH_EVENTS));
  } finally {
    await emulator.stop();
  }
  console.log(`(b) emulator push: ${PUSH_EVENTS} events delivered to the sink at ${pushEps} events/s, publish->sink p50 ${pushP50} ms p99 ${pushP99} ms`);
  console.log(`(b) emulator raw push to a no-op endpoint: ${rawPushEps} msg/s (${RAW_PUSH_EVENTS} messages)`);

  const bodies = pushEnvelopes(100_000, "http");
  const fn = await startBenchFunction({ module: bundle, insertDelayMs: INSERT_DELAY_MS, projectId: "streamline-local" });
  let http, rowsPerFlush: number;
  try {
    http = await drive(fn.url, bodies, HTTP_CONNECTIONS, HTTP_SECONDS);
    const rows = fn.rows();
    rowsPerFlush = round(rows.length / new Set(rows.map((r) => r.call)).size, 1);
  } finally {
    await fn.stop();
  }
  console.log(
    `(c) function, ${HTTP_CONNECTIONS} concurrent for ${HTTP_SECONDS} s, ${INSERT_DELAY_MS} ms per insert: ${round(http.rps)} req/s, p99 ${http.p99Ms} ms, ${http.requests} requests (${http.non2xx} non-2xx), ${rowsPerFlush} rows per flush`,
  );
  const noop = await startFunctionProcess({ module: join(__dirname, "noop-function.ts"), target: "noop" });
  let ceiling;
  try {
    ceiling = await drive(noop.url, bodies, HTTP_CONNECTIONS, HTTP_SECONDS);
  } finally {
    await noop.stop();
  }
  console.log(`(c) no-op Functions Framework handler, same load: ${round(ceiling.rps)} req/s, p99 ${ceiling.p99Ms} ms`);

  console.log(
    `enrichment: cpu_eps=${cpuEps} push_eps=${pushEps} raw_push_eps=${rawPushEps} ratio=${round(pushEps / rawPushEps, 2)} ` +
      `http_eps=${round(http.rps)} noop_eps=${round(ceiling.rps)} http_ratio=${round(http.rps / ceiling.rps, 2)} http_p99_ms=${http.p99Ms} ` +
      `rows_per_flush=${rowsPerFlush} zip_kb=${zipKb}`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
