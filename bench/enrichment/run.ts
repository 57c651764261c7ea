import { join } from "node:path";
import { startFunctionProcess } from "../../local/processes/function-process";
import { startPubSubEmulator } from "../../local/emulator/pubsub-emulator";
import { synthDevStack } from "../../fixtures/dev-stack";
import { bundleEnrichment } from "./bundle-size";
import { measureCpuPath } from "./cpu-path";
import { PushBench, type PushRun } from "./emulator-push";
import { startBenchFunction, type BenchFunction } from "./function-under-test";
import { cycle, distinct, drive, pushEnvelopes, type LoadResult } from "./http-load";

// `npm run bench:enrichment`: (a) CPU path, (b) end to end through the emulator's push subscription,
// (c) production-like HTTP load on one instance vs a no-op Functions Framework handler. Prints
// measured numbers only; the last line is the summary other tooling parses.
//
// Fairness: each side of a comparison is measured the same way, one at a time (never overlapped),
// after a warm-up of both (the emulator's JVM and each Node process JIT-compile on first use), in
// REPS alternating repetitions; the summary reports the median of each measure.
const PUSH_EVENTS = 20_000;
const PUSH_WARMUP_EVENTS = 5_000;
const HTTP_CONNECTIONS = 64;
const HTTP_SECONDS = 10;
const HTTP_WARMUP_SECONDS = 3;
const INSERT_DELAY_MS = 30;
const REPS = Number(process.env.BENCH_REPS ?? 3);

const round = (n: number, digits = 0) => Number(n.toFixed(digits));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** (b): raw push and push through the function, alternating; medians. */
async function measurePush(bundle: string): Promise<{ pushEps: number; rawPushEps: number; p50: number; p99: number }> {
  const emulator = await startPubSubEmulator();
  try {
    const fn = await startBenchFunction({ module: bundle, insertDelayMs: 0, emulatorHost: emulator.host, projectId: emulator.projectId });
    try {
      const bench = await PushBench.start(emulator, synthDevStack(), fn);
      try {
        await bench.rawRun("warm-raw", PUSH_WARMUP_EVENTS);
        await bench.functionRun("warm-push", PUSH_WARMUP_EVENTS);
        await bench.frameworkNoopRun("warm-framework", PUSH_WARMUP_EVENTS);
        const raw: number[] = [];
        const framework: number[] = [];
        const push: PushRun[] = [];
        // The order rotates per repetition, so no side always runs first or last in a rep.
        const sides = [
          async (r: number) => raw.push((await bench.rawRun(`raw-r${r}`, PUSH_EVENTS)).eps),
          async (r: number) => framework.push((await bench.frameworkNoopRun(`framework-r${r}`, PUSH_EVENTS)).eps),
          async (r: number) => push.push(await bench.functionRun(`push-r${r}`, PUSH_EVENTS)),
        ];
        for (let r = 0; r < REPS; r++) {
          for (let k = 0; k < sides.length; k++) await sides[(r + k) % sides.length](r);
          console.log(
            `(b) rep ${r + 1}/${REPS}: raw push to a no-op endpoint ${round(raw[r])} msg/s; to a no-op Functions Framework handler ${round(framework[r])} msg/s; ` +
              `through the function to the sink ${round(push[r].eps)} events/s, publish->sink p50 ${round(push[r].p50Ms!)} ms p99 ${round(push[r].p99Ms!)} ms (${PUSH_EVENTS} events each)`,
          );
        }
        console.log(`(b) median no-op Functions Framework handler: ${round(median(framework))} msg/s (the framework's own share of the gap; not part of the ratio)`);
        return {
          pushEps: round(median(push.map((p) => p.eps))),
          rawPushEps: round(median(raw)),
          p50: round(median(push.map((p) => p.p50Ms!))),
          p99: round(median(push.map((p) => p.p99Ms!))),
        };
      } finally {
        await bench.close();
      }
    } finally {
      await fn.stop();
    }
  } finally {
    await emulator.stop();
  }
}

/** Rows per insert call among the rows written since `from` (an index into fn.rows()). */
function rowsPerFlushSince(fn: BenchFunction, from: number): number {
  const rows = fn.rows().slice(from);
  return rows.length / new Set(rows.map((r) => r.call)).size;
}

/** (c): the function (30 ms per insert) and a no-op handler under the same load, alternating; medians. */
async function measureHttp(bundle: string) {
  // The function never sees an event id twice; 150k lasts over 2 minutes at the ~1,070 req/s group commit allows here.
  const functionBody = distinct(pushEnvelopes(150_000, "http"));
  const noopBody = cycle(pushEnvelopes(10_000, "noop"));
  const fn = await startBenchFunction({ module: bundle, insertDelayMs: INSERT_DELAY_MS, projectId: "streamline-local" });
  try {
    const noop = await startFunctionProcess({ module: join(__dirname, "noop-function.ts"), target: "noop" });
    try {
      await drive(fn.url, functionBody, HTTP_CONNECTIONS, HTTP_WARMUP_SECONDS);
      await drive(noop.url, noopBody, HTTP_CONNECTIONS, HTTP_WARMUP_SECONDS);
      const runs: { fn: LoadResult; noop: LoadResult; rowsPerFlush: number }[] = [];
      for (let r = 0; r < REPS; r++) {
        const from = fn.rows().length;
        const f = await drive(fn.url, functionBody, HTTP_CONNECTIONS, HTTP_SECONDS);
        const rowsPerFlush = rowsPerFlushSince(fn, from);
        const n = await drive(noop.url, noopBody, HTTP_CONNECTIONS, HTTP_SECONDS);
        runs.push({ fn: f, noop: n, rowsPerFlush });
        console.log(
          `(c) rep ${r + 1}/${REPS}, ${HTTP_CONNECTIONS} concurrent for ${HTTP_SECONDS} s: function (${INSERT_DELAY_MS} ms per insert) ${round(f.rps)} req/s, p99 ${f.p99Ms} ms, ` +
            `${f.requests} requests (${f.non2xx} non-2xx), ${round(rowsPerFlush, 1)} rows per flush; no-op Functions Framework handler ${round(n.rps)} req/s, p99 ${n.p99Ms} ms`,
        );
      }
      return {
        httpEps: round(median(runs.map((x) => x.fn.rps))),
        noopEps: round(median(runs.map((x) => x.noop.rps))),
        p99: median(runs.map((x) => x.fn.p99Ms)),
        rowsPerFlush: round(median(runs.map((x) => x.rowsPerFlush)), 1),
      };
    } finally {
      await noop.stop();
    }
  } finally {
    await fn.stop();
  }
}

async function main(): Promise<void> {
  const { dir, zipBytes } = bundleEnrichment();
  const zipKb = round(zipBytes / 1024, 1);
  console.log(`bundle: dist/functions/enrichment.zip ${zipKb} KiB (what the stack uploads)`);
  const bundle = join(dir, "index.js");

  const cpuEps = round(measureCpuPath());
  console.log(`(a) cpu path: ${cpuEps} events/s on one core (decode + validate + enrich + row build)`);

  const push = await measurePush(bundle);
  console.log(`(b) median of ${REPS}: ${push.pushEps} events/s through the function vs ${push.rawPushEps} msg/s raw push; publish->sink p50 ${push.p50} ms p99 ${push.p99} ms`);

  const http = await measureHttp(bundle);
  console.log(`(c) median of ${REPS}: function ${http.httpEps} req/s, p99 ${http.p99} ms, ${http.rowsPerFlush} rows per flush; no-op ${http.noopEps} req/s`);

  console.log(
    `enrichment: cpu_eps=${cpuEps} push_eps=${push.pushEps} raw_push_eps=${push.rawPushEps} ratio=${round(push.pushEps / push.rawPushEps, 2)} ` +
      `http_eps=${http.httpEps} noop_eps=${http.noopEps} http_ratio=${round(http.httpEps / http.noopEps, 2)} http_p99_ms=${http.p99} ` +
      `rows_per_flush=${http.rowsPerFlush} zip_kb=${zipKb}`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
