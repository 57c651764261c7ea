import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Testing } from "cdktf";
import { unzipSync } from "fflate";
import { loadConfig } from "../../../config";
import { emulatorPubSub } from "../../../local/emulator/emulator-clients";
import { startPubSubEmulator, type PubSubEmulator } from "../../../local/emulator/pubsub-emulator";
import { freePort } from "../../../local/processes/free-port";
import { startProcess, type ManagedProcess } from "../../../local/processes/managed-process";
import { stackId } from "../../../stacks/app";
import { PipelineStack } from "../../../stacks/pipeline-stack";
import { orderPlaced, REFERENCE_TABLES, wireBytes } from "../../../fixtures/commerce-events";
import { startFakeBigQuery, type FakeBigQuery } from "./fake-bigquery";

// Serve what is shipped: build the function zips with the project's bundler, unzip each into a
// temp folder and serve it with the Functions Framework as Cloud Run functions would (entry point,
// runtime and environment variables taken from the synthesized dev stack), then send one real push
// envelope. Pub/Sub is the real emulator; only BigQuery's REST API (and the metadata server's token
// its client asks for) is faked, at the HTTP boundary.
const ROOT = join(__dirname, "..", "..", "..");
const FRAMEWORK = "@google-cloud/functions-framework";
const SMOKE_EVENT_ID = "evt-bundle-smoke-1";

interface DeployedFunction {
  entryPoint: string;
  runtime: string;
  env: Record<string, string>;
}

let work: string;
let bigquery: FakeBigQuery;
let pubsub: PubSubEmulator;
const deployed: Record<string, DeployedFunction> = {};
const running: ManagedProcess[] = [];

beforeAll(async () => {
  const started = performance.now();
  work = mkdtempSync(join(tmpdir(), "streamline-bundle-smoke-"));
  const built = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "bundle-functions.ts"), join(work, "built")], { cwd: ROOT, encoding: "utf8" });
  if (built.status !== 0) throw new Error(`bundling failed:\n${built.stdout}\n${built.stderr}`);

  const config = loadConfig("dev");
  const stack = new PipelineStack(Testing.app({ outdir: join(work, "synth") }), stackId(config), {
    config,
    functionBundlesDir: join(work, "built"),
    sqlDir: join(ROOT, "sql"),
    pipelineVersion: "0.0.0-smoke",
  });
  const tf = JSON.parse(Testing.synth(stack)) as { resource: { google_cloudfunctions2_function: Record<string, { name: string; build_config: { entry_point: string; runtime: string }; service_config: { environment_variables: Record<string, string> } }> } };
  for (const f of Object.values(tf.resource.google_cloudfunctions2_function)) {
    deployed[f.name] = { entryPoint: f.build_config.entry_point, runtime: f.build_config.runtime, env: f.service_config.environment_variables };
  }
  bigquery = await startFakeBigQuery(REFERENCE_TABLES, config.project);
  pubsub = await startPubSubEmulator({ projectId: config.project });
  console.log(`bundle smoke setup: build both zips + synth dev + start the Pub/Sub emulator ${(performance.now() - started).toFixed(0)} ms`);
}, 120_000);

afterAll(async () => {
  for (const p of running) await p.stop();
  await bigquery?.close();
  await pubsub?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** Unzips the built archive into its own folder and gives it the framework version it declares. */
function unpack(name: string): string {
  const dir = join(work, "served", name);
  for (const [path, bytes] of Object.entries(unzipSync(readFileSync(join(work, "built", `${name}.zip`))))) {
    if (path.endsWith("/")) continue;
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  }
  // The runtime installs package.json's dependencies; the repository holds that exact version.
  const declared = (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies;
  const installed = (JSON.parse(readFileSync(join(ROOT, "node_modules", FRAMEWORK, "package.json"), "utf8")) as { version: string }).version;
  expect(declared).toEqual({ [FRAMEWORK]: installed });
  mkdirSync(join(dir, "node_modules", "@google-cloud"), { recursive: true });
  symlinkSync(join(ROOT, "node_modules", FRAMEWORK), join(dir, "node_modules", FRAMEWORK), "dir");
  return dir;
}

/** Serves an unpacked bundle on 127.0.0.1 with exactly the deployed environment (plus the fake BigQuery). */
async function serve(name: string, dir: string): Promise<string> {
  const fn = deployed[name];
  expect(fn.runtime).toBe(`nodejs${process.versions.node.split(".")[0]}`);
  const port = await freePort();
  const proc = startProcess(`bundle ${name}`, process.execPath, [join(__dirname, "serve-bundle.js"), dir, fn.entryPoint, String(port)], {
    cwd: dir,
    // Not the test's environment: only what Cloud Run sets and what the stack deploys.
    env: { PATH: process.env.PATH, NODE_ENV: "production", K_SERVICE: name, PORT: String(port), ...fn.env, BIGQUERY_EMULATOR_HOST: bigquery.host, GCE_METADATA_HOST: new URL(bigquery.host).host, METADATA_SERVER_DETECTION: "assume-present", PUBSUB_EMULATOR_HOST: pubsub.host },
  });
  running.push(proc);
  await proc.waitFor(/listening on http:\/\/127\.0\.0\.1/, 30_000);
  return `http://127.0.0.1:${port}/`;
}

function pushEnvelope(data: Buffer, subscription: string, messageId: string) {
  return { message: { data: data.toString("base64"), attributes: {}, messageId, publishTime: new Date().toISOString() }, subscription: `projects/streamline-dev/subscriptions/${subscription}`, deliveryAttempt: 1 };
}

async function post(url: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}

test("the enrichment bundle writes a valid pushed event, enriched, and acks it", async () => {
  const started = performance.now();
  const url = await serve("enrichment", unpack("enrichment"));
  const answer = await post(url, pushEnvelope(wireBytes(orderPlaced({ event_id: SMOKE_EVENT_ID })), "enrichment", "smoke-1"));
  expect(answer).toEqual({ status: 204, text: "" });
  const rows = bigquery.inserted.get("curated.commerce_events") ?? [];
  expect(rows).toEqual([expect.objectContaining({ event_id: SMOKE_EVENT_ID, product_category: "shoes", store_region: "us-west", enrichment_status: "complete", source: "stream", pipeline_version: "0.0.0-smoke" })]);
  expect(bigquery.unknown).toEqual([]);
  console.log(`bundle smoke enrichment: unzip + cold start + one push ${(performance.now() - started).toFixed(0)} ms`);
});

test("the reconciliation bundle records a run for a pushed request and publishes its alert", async () => {
  const started = performance.now();
  // The alert topic as the stack creates it, with a subscription to read what the function publishes.
  const client = emulatorPubSub(pubsub);
  const [topic] = await client.createTopic(deployed.reconciliation.env.STREAMLINE_ALERTS_TOPIC);
  const [alerts] = await topic.createSubscription("smoke-alerts");
  const url = await serve("reconciliation", unpack("reconciliation"));
  // The fake ledger has no rows for a day long past its deadline: the run is recorded as late_source.
  const answer = await post(url, pushEnvelope(Buffer.from(JSON.stringify({ run_date: "2026-03-01" })), "reconciliation", "smoke-2"));
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.text)).toMatchObject({ outcome: "late_source", run: { run_date: "2026-03-01", environment: "dev", code_version: "0.0.0-smoke", status: "late_source" } });
  expect(bigquery.queries.some((q) => /INSERT INTO `?[\w.-]*ops\.reconciliation_runs/.test(q))).toBe(true);
  const message = await new Promise<{ data: Buffer; attributes: Record<string, string> }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no alert published within 10 s")), 10_000);
    alerts.once("message", (m) => {
      clearTimeout(timer);
      m.ack();
      resolve({ data: m.data, attributes: m.attributes });
    });
  });
  await alerts.close();
  await client.close();
  expect(message.data.toString("utf8")).toContain("2026-03-01");
  expect(bigquery.unknown).toEqual([]);
  console.log(`bundle smoke reconciliation: unzip + cold start + one push ${(performance.now() - started).toFixed(0)} ms`);
});
