/**
 * What a machine may lack for the local pipeline (Java, the emulator, a free port): each fails with
 * a message that says what to install or change.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertPortFree, freePort } from "../../../local/processes/free-port";
import { findEmulatorJar, startPubSubEmulator } from "../../../local/emulator/pubsub-emulator";

const savedJar = process.env.PUBSUB_EMULATOR_JAR;
let emptyBin: string;

beforeAll(() => {
  emptyBin = mkdtempSync(join(tmpdir(), "streamline-empty-path-"));
});

afterEach(() => {
  if (savedJar === undefined) delete process.env.PUBSUB_EMULATOR_JAR;
  else process.env.PUBSUB_EMULATOR_JAR = savedJar;
});

afterAll(() => rmSync(emptyBin, { recursive: true, force: true }));

/**
 * Runs `code` (TypeScript, with the emulator module imported as `m`) in a child process whose PATH
 * has neither java nor gcloud: jest's process.env is a copy, so changing PATH here would not reach
 * the lookup of executables. Returns the error message the code threw.
 */
function errorWithEmptyPath(code: string): string {
  const script = `const m = require(${JSON.stringify(join(__dirname, "..", "..", "..", "local", "emulator", "pubsub-emulator"))});
    Promise.resolve().then(async () => { ${code} }).then(() => console.log("NO ERROR"), (e) => console.log(e.message));`;
  const r = spawnSync(process.execPath, ["--import", "tsx", "-e", script], {
    env: { PATH: emptyBin, HOME: process.env.HOME ?? "" },
    cwd: join(__dirname, "..", "..", ".."),
    encoding: "utf8",
    timeout: 30_000,
  });
  return r.stdout.trim() || r.stderr.trim();
}

async function listenOnFreePort(): Promise<{ server: Server; port: number }> {
  const port = await freePort();
  const server = createServer();
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  return { server, port };
}

test("no Java: says which Java to install", () => {
  expect(errorWithEmptyPath("m.assertJava()")).toMatch(/Java was not found on PATH.*Java 17 or newer.*apt-get install openjdk-17-jre-headless/);
  // startPubSubEmulator checks before it spawns anything.
  expect(errorWithEmptyPath("await m.startPubSubEmulator()")).toMatch(/Java was not found/);
});

test("no gcloud: says how to install the emulator or point at its jar", () => {
  expect(errorWithEmptyPath("m.findEmulatorJar()")).toMatch(/gcloud is not on PATH.*gcloud components install pubsub-emulator.*PUBSUB_EMULATOR_JAR/);
});

test("an emulator jar that is not there: names it and how to fix it", () => {
  process.env.PUBSUB_EMULATOR_JAR = join(emptyBin, "cloud-pubsub-emulator-0.0.0-all.jar");
  expect(() => findEmulatorJar()).toThrow(/PUBSUB_EMULATOR_JAR=.*does not exist.*google-cloud-cli-pubsub-emulator/);
});

test("the emulator is found on this machine", () => {
  delete process.env.PUBSUB_EMULATOR_JAR;
  expect(findEmulatorJar()).toMatch(/cloud-pubsub-emulator-.*-all\.jar$/);
});

test("a port in use: says so and how to find what holds it", async () => {
  const { server, port } = await listenOnFreePort();
  try {
    await expect(assertPortFree(port)).rejects.toThrow(new RegExp(`port ${port} on 127.0.0.1 is already in use.*ss -ltnp.*pick another port`));
    await expect(startPubSubEmulator({ port })).rejects.toThrow(/already in use/);
  } finally {
    await new Promise((r) => server.close(r));
  }
  await expect(assertPortFree(port)).resolves.toBeUndefined();
});
