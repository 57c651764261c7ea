import { accessSync, constants, existsSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../processes/free-port";
import { startProcess, type ManagedProcess } from "../processes/managed-process";

/** Folder of the ZetaSQL binaries and protos shipped by @fivetrandevelopers/zetasql. */
export function zetaSqlPackageDir(): string {
  let pkgJson: string;
  try {
    pkgJson = require.resolve("@fivetrandevelopers/zetasql/package.json");
  } catch {
    throw new Error("@fivetrandevelopers/zetasql is not installed: run `npm ci` (it is a devDependency)");
  }
  return join(pkgJson, "..", "lib", "zetasql");
}

/** The remote_server binary for this platform; a clear error where none is shipped. */
export function remoteServerBinary(): string {
  // The package ships Linux x86-64 (remote_server.so) and arm64 builds; nothing for macOS/Windows x86.
  if (process.platform !== "linux" || (process.arch !== "x64" && process.arch !== "arm64")) {
    throw new Error(
      `the ZetaSQL remote_server ships for Linux x86-64/arm64 only, not ${process.platform}-${process.arch}: ` +
        "run the SQL tests in Linux (CI, a container or a dev VM)",
    );
  }
  const bin = join(zetaSqlPackageDir(), process.arch === "arm64" ? "remote_server_arm.so" : "remote_server.so");
  if (!existsSync(bin)) throw new Error(`the ZetaSQL remote_server is missing at ${bin}: reinstall with \`npm ci\``);
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    throw new Error(`the ZetaSQL remote_server at ${bin} is not executable: chmod +x it or reinstall with \`npm ci\``);
  }
  return bin;
}

export interface ZetaSqlServer {
  /** host:port of the gRPC server, always on 127.0.0.1. */
  readonly address: string;
  readonly pid: number;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

/** Starts ZetaSQL's gRPC remote_server on a free loopback port (~1.5 s); stop() stops it by PID. */
export async function startZetaSqlServer(opts: { port?: number; readyTimeoutMs?: number } = {}): Promise<ZetaSqlServer> {
  const bin = remoteServerBinary();
  const port = opts.port ?? (await freePort());
  // Binding 127.0.0.1 (not "localhost") keeps it off every other interface.
  const proc = startProcess("zetasql-remote-server", bin, ["127.0.0.1", String(port)]);
  try {
    await proc.waitFor(/Server listening on/, opts.readyTimeoutMs ?? 30000);
  } catch (e) {
    await proc.stop();
    throw e;
  }
  return { address: `127.0.0.1:${port}`, pid: proc.pid, process: proc, stop: () => proc.stop() };
}
