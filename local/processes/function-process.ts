import { join, resolve } from "node:path";
import { freePort } from "./free-port";
import { startProcess, type ManagedProcess } from "./managed-process";

const ROOT = resolve(__dirname, "..", "..");

export interface FunctionProcessOptions {
  /** Module that registers the function: a .ts source (run through tsx) or a bundled .js. */
  module: string;
  /** Registered function name, e.g. "enrichment". */
  target: string;
  /** Extra environment for the function (its STREAMLINE_* variables). */
  env?: Record<string, string>;
  /** Port on 127.0.0.1. Default: a free one. */
  port?: number;
  /** How long to wait for it to listen, in ms. Default: 30000. */
  readyTimeoutMs?: number;
}

export interface FunctionProcess {
  /** http://127.0.0.1:PORT/ */
  readonly url: string;
  readonly port: number;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

/** Runs a Functions Framework function in its own process group on loopback; stop() stops it by PID. */
export async function startFunctionProcess(opts: FunctionProcessOptions): Promise<FunctionProcess> {
  const port = opts.port ?? (await freePort());
  const proc = startProcess(
    `function ${opts.target}`,
    process.execPath,
    ["--import", "tsx", join(ROOT, "local", "processes", "serve-function.ts"), resolve(opts.module), opts.target, String(port)],
    { cwd: ROOT, env: { ...process.env, NODE_ENV: "production", ...opts.env } },
  );
  try {
    await proc.waitFor(/listening on http:\/\/127\.0\.0\.1/, opts.readyTimeoutMs ?? 30000);
  } catch (e) {
    await proc.stop();
    throw e;
  }
  return { url: `http://127.0.0.1:${port}/`, port, process: proc, stop: () => proc.stop() };
}
