import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { assertPortFree, freePort } from "../processes/free-port";
import { startProcess, type ManagedProcess } from "../processes/managed-process";

export interface PubSubEmulator {
  /** host:port, the value for PUBSUB_EMULATOR_HOST. */
  readonly host: string;
  readonly port: number;
  readonly projectId: string;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

const INSTALL_HINT =
  "install the Google Cloud SDK and its Pub/Sub emulator component (`gcloud components install pubsub-emulator beta`, " +
  "or the `google-cloud-cli-pubsub-emulator` Debian package), or set PUBSUB_EMULATOR_JAR to the emulator's *-all.jar";

/** Finds the emulator jar: $PUBSUB_EMULATOR_JAR, else <gcloud sdk root>/platform/pubsub-emulator/lib. */
export function findEmulatorJar(): string {
  const fromEnv = process.env.PUBSUB_EMULATOR_JAR;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`PUBSUB_EMULATOR_JAR=${fromEnv} does not exist; ${INSTALL_HINT}`);
    return fromEnv;
  }
  let sdkRoot: string;
  try {
    // gcloud is a Python program: on a loaded machine `gcloud info` alone has taken over 30 s.
    sdkRoot = execFileSync("gcloud", ["info", "--format=value(installation.sdk_root)"], { encoding: "utf8", timeout: 120_000 }).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new Error(`the Pub/Sub emulator was not found: gcloud is not on PATH. To fix: ${INSTALL_HINT}`);
    throw new Error(`\`gcloud info\` failed while looking for the Pub/Sub emulator (${(e as Error).message.split("\n")[0]}); set PUBSUB_EMULATOR_JAR to the emulator's *-all.jar to skip it`);
  }
  const lib = join(sdkRoot, "platform", "pubsub-emulator", "lib");
  const jar = existsSync(lib) ? readdirSync(lib).find((f) => /^cloud-pubsub-emulator-.*-all\.jar$/.test(f)) : undefined;
  if (!jar) throw new Error(`the Pub/Sub emulator jar is not under ${lib}. To fix: ${INSTALL_HINT}`);
  return join(lib, jar);
}

export function assertJava(): void {
  try {
    execFileSync("java", ["-version"], { stdio: "ignore", timeout: 30000 });
  } catch {
    throw new Error("Java was not found on PATH; the Pub/Sub emulator needs Java 17 or newer (Debian: apt-get install openjdk-17-jre-headless)");
  }
}

/** Starts Google's Pub/Sub emulator on a free loopback port; stop() stops it by PID. */
export async function startPubSubEmulator(opts: { projectId?: string; port?: number } = {}): Promise<PubSubEmulator> {
  assertJava();
  const jar = findEmulatorJar();
  // A requested port is checked first, so "in use" is said plainly instead of a Java bind stack trace.
  if (opts.port !== undefined) await assertPortFree(opts.port);
  const port = opts.port ?? (await freePort());
  const proc = startProcess("pubsub-emulator", "java", ["-jar", jar, "--host=127.0.0.1", `--port=${port}`]);
  try {
    await proc.waitFor(/Server started, listening on/, 60000);
  } catch (e) {
    await proc.stop();
    throw e;
  }
  return {
    host: `127.0.0.1:${port}`,
    port,
    projectId: opts.projectId ?? "streamline-local",
    process: proc,
    stop: () => proc.stop(),
  };
}
