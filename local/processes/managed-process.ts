import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";

/**
 * A child process we started and must stop: spawned in its own process group so stopping it by PID
 * also stops whatever it forked, and registered so it is stopped on exit, Ctrl-C or a crash.
 */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Everything it printed so far (stdout + stderr), for error messages. */
  output(): string;
  /** Resolves when a line matching `pattern` appears; rejects on exit or timeout with the output. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

const live = new Set<ManagedProcess>();
let hooked = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  // Synchronous last resort: stop every child we still own, by PID.
  process.on("exit", () => {
    for (const p of live) killGroup(p.pid, "SIGKILL");
  });
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(sig, () => {
      void stopAll().finally(() => process.exit(sig === "SIGINT" ? 130 : 143));
    });
  }
}

export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop()));
}

export function startProcess(name: string, command: string, args: string[], opts: SpawnOptions = {}): ManagedProcess {
  hookExit();
  const child = spawn(command, args, { ...opts, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  const pid = child.pid;
  let out = "";
  const listeners = new Set<() => void>();
  const onData = (b: Buffer) => {
    out += b.toString();
    if (out.length > 1_000_000) out = out.slice(-500_000);
    for (const l of listeners) l();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let exitedFlag = false;
  void exited.then(() => {
    exitedFlag = true;
    live.delete(proc);
    for (const l of listeners) l();
  });

  const proc: ManagedProcess = {
    name,
    pid,
    child,
    output: () => out,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`${name} not ready after ${timeoutMs} ms; it printed:\n${out.slice(-4000)}`)), timeoutMs);
        const check = () => {
          if (pattern.test(out)) done();
          else if (exitedFlag) done(new Error(`${name} exited before it was ready (code ${child.exitCode}); it printed:\n${out.slice(-4000)}`));
        };
        const done = (err?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (err) reject(err);
          else resolve();
        };
        listeners.add(check);
        check();
      });
    },
    async stop() {
      if (exitedFlag) return;
      killGroup(pid, "SIGTERM");
      const timeout = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 3000).unref());
      if ((await Promise.race([exited.then(() => "exited" as const), timeout])) === "timeout") {
        killGroup(pid, "SIGKILL");
        await exited;
      }
    },
  };
  live.add(proc);
  return proc;
}
