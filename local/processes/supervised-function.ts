import { request } from "node:http";
import { freePort } from "./free-port";
import { FrontDoor } from "./front-door";
import { startFunctionProcess, type FunctionProcess, type FunctionProcessOptions } from "./function-process";
import { nextRestart, type BackoffPolicy } from "./restart-backoff";

/** When a running function counts as hung (Cloud Run's liveness probe, locally). */
export interface LivenessPolicy {
  /** Probe period, in ms. Default: 2000. */
  intervalMs?: number;
  /** A probe without an answer within this long fails, in ms. Default: 3000. */
  timeoutMs?: number;
  /** Consecutive failed probes before the process is killed and restarted. Default: 3. */
  failuresBeforeRestart?: number;
}

export interface RestartEvent {
  name: string;
  /** exited: the process ended by itself or was killed; unresponsive: the liveness probe failed. */
  reason: "exited" | "unresponsive";
  /** Exit code or signal of the process that ended, e.g. "SIGKILL". */
  exit: string;
  previousPid: number;
  /** PID of the process now serving, after the restart. */
  pid: number;
  /** Restarts of this function so far, this one included. */
  restarts: number;
  /** How long the supervisor waited before starting it again, in ms. */
  delayMs: number;
}

export interface SupervisedFunctionOptions extends FunctionProcessOptions {
  /** Name in restart events, e.g. "enrichment". */
  name: string;
  backoff?: BackoffPolicy;
  liveness?: LivenessPolicy;
  /** Called with every process started, the first and each restarted one (e.g. to follow its logs). */
  onStarted?: (fn: FunctionProcess) => void;
  onRestart?: (e: RestartEvent) => void;
  /** A restart attempt that failed to come up; the supervisor keeps trying with a longer delay. */
  onRestartFailed?: (name: string, err: Error) => void;
}

// The Functions Framework answers this path itself (404) without calling the function: an answer
// proves the event loop serves requests, and no push envelope is invented for the probe.
const LIVENESS_PATH = "/robots.txt";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A function process kept running as Cloud Run keeps an instance: restarted when it exits or stops
 * answering, with bounded exponential backoff, behind a front door on a stable loopback port (push
 * endpoints stay valid, and requests wait for the restart instead of being refused). stop() ends
 * supervision, closes the front door and stops the current process by PID.
 */
export class SupervisedFunction {
  private current: FunctionProcess | undefined;
  private port = 0;
  private restartCount = 0;
  private streak = 0;
  private startedAt = 0;
  private stopping = false;
  private hungKill = false;
  private restarting: Promise<void> | undefined;
  private livenessTimer: NodeJS.Timeout | undefined;
  private failedProbes = 0;
  private readonly front = new FrontDoor();

  constructor(private readonly opts: SupervisedFunctionOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  get pid(): number {
    if (!this.current) throw new Error(`function ${this.opts.name} is not running`);
    return this.current.process.pid;
  }

  get restarts(): number {
    return this.restartCount;
  }

  async start(): Promise<void> {
    this.port = this.opts.port ?? (await freePort());
    await this.front.listen(this.port);
    try {
      await this.launch();
    } catch (e) {
      await this.front.close();
      throw e;
    }
    this.watchLiveness();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.livenessTimer);
    await this.restarting?.catch(() => undefined);
    await this.front.close();
    await this.current?.stop();
  }

  private async launch(): Promise<void> {
    // Each process on a fresh port behind the front door: a dying process's port is never reused.
    const fn = await startFunctionProcess({ ...this.opts, port: undefined });
    this.current = fn;
    this.front.setBackend(fn.port);
    this.startedAt = Date.now();
    this.failedProbes = 0;
    this.opts.onStarted?.(fn);
    fn.process.child.once("exit", (code, signal) => {
      if (this.current === fn) this.front.setBackend(undefined);
      if (this.stopping || this.current !== fn) return;
      const reason = this.hungKill ? "unresponsive" : "exited";
      this.hungKill = false;
      this.restarting = this.restart(fn.process.pid, reason, signal ?? `code ${code}`);
    });
  }

  private async restart(previousPid: number, reason: RestartEvent["reason"], exit: string): Promise<void> {
    let upMs = Date.now() - this.startedAt;
    for (;;) {
      const next = nextRestart(this.opts.backoff ?? {}, this.streak, upMs);
      this.streak = next.streak;
      await sleep(next.delayMs);
      if (this.stopping) return;
      try {
        await this.launch();
      } catch (e) {
        // Crashed again while starting: a longer delay next time (the streak continues).
        this.opts.onRestartFailed?.(this.opts.name, e as Error);
        upMs = 0;
        continue;
      }
      this.restartCount++;
      this.opts.onRestart?.({ name: this.opts.name, reason, exit, previousPid, pid: this.pid, restarts: this.restartCount, delayMs: next.delayMs });
      return;
    }
  }

  private watchLiveness(): void {
    const policy = this.opts.liveness ?? {};
    const threshold = policy.failuresBeforeRestart ?? 3;
    let probing = false;
    this.livenessTimer = setInterval(() => {
      const fn = this.current;
      if (probing || this.stopping || !fn || fn.process.child.exitCode !== null || fn.process.child.signalCode !== null) return;
      probing = true;
      void answers(fn.port, policy.timeoutMs ?? 3000)
        .then((ok) => {
          if (this.current !== fn) return;
          this.failedProbes = ok ? 0 : this.failedProbes + 1;
          if (this.failedProbes >= threshold) {
            this.failedProbes = 0;
            this.hungKill = true;
            // A hung event loop ignores SIGTERM; stop() follows up with SIGKILL, and the exit restarts it.
            void fn.stop();
          }
        })
        .finally(() => (probing = false));
    }, policy.intervalMs ?? 2000);
    this.livenessTimer.unref();
  }
}

/** True when the process answers an HTTP request on the liveness path within timeoutMs (any status). */
function answers(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path: LIVENESS_PATH, method: "GET", timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}
