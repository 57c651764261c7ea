import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { followFunctionLogs, type LogEntry } from "./function-logs";
import type { BackoffPolicy } from "./restart-backoff";
import { SupervisedFunction, type LivenessPolicy, type RestartEvent } from "./supervised-function";
import { resourcesOfType, type TerraformJson } from "../../stacks/terraform-json";

const ROOT = resolve(__dirname, "..", "..");

/** The entry that wires each deployed function to the local warehouse (same handler, local adapters). */
export const LOCAL_FUNCTION_ENTRIES: Readonly<Record<string, string>> = {
  enrichment: "local/functions/enrichment-entry.ts",
  reconciliation: "local/functions/reconciliation-entry.ts",
};

export interface FunctionsHostProps {
  /** The synthesized stack: each google_cloudfunctions2_function gives its entry point and env vars. */
  stack: TerraformJson;
  /** Env vars only the local run needs (emulator host, warehouse folder, ZetaSQL address). */
  localEnv: Record<string, string>;
  /** Folder the function logs are written to, one `<name>.log` each. */
  logDir: string;
  /** Receives every structured log entry, with the function's name. */
  onLog?: (functionName: string, entry: LogEntry) => void;
  /** Called after each restart of a function process that exited or stopped answering. */
  onRestart?: (e: RestartEvent) => void;
  /** A restart attempt that did not come up (the supervisor retries with a longer delay). */
  onRestartFailed?: (functionName: string, err: Error) => void;
  /** Module to serve per function instead of LOCAL_FUNCTION_ENTRIES (e.g. a fault-injecting entry). */
  entries?: Record<string, string>;
  backoff?: BackoffPolicy;
  liveness?: LivenessPolicy;
}

export interface HostedFunction {
  name: string;
  url: string;
  /** PID of the process serving now (changes with each restart). */
  pid: number;
  /** Env vars as the stack sets them (before local additions). */
  stackEnv: Record<string, string>;
}

/**
 * Runs every function of the stack through the Functions Framework, each as its own process on a
 * free loopback port, with the environment variables the stack gives it, supervised as Cloud Run
 * would: a process that exits or stops answering is restarted on the same port (bounded backoff).
 */
export class FunctionsHost {
  readonly functions: HostedFunction[] = [];
  private readonly supervisors = new Map<string, SupervisedFunction>();
  private readonly logs: { close(): Promise<void> }[] = [];

  constructor(private readonly props: FunctionsHostProps) {}

  async start(): Promise<HostedFunction[]> {
    mkdirSync(this.props.logDir, { recursive: true });
    const specs = resourcesOfType(this.props.stack, "google_cloudfunctions2_function").map(([, f]) => {
      const name = String(f.name);
      const build = f.build_config as { entry_point?: string } | undefined;
      const service = f.service_config as { environment_variables?: Record<string, string> } | undefined;
      const entry = this.props.entries?.[name] ?? LOCAL_FUNCTION_ENTRIES[name];
      if (!entry) throw new Error(`the stack deploys function ${name}, but no local entry wires it to the local warehouse (add it to LOCAL_FUNCTION_ENTRIES)`);
      return { name, target: build?.entry_point ?? name, entry, stackEnv: service?.environment_variables ?? {} };
    });
    await Promise.all(
      specs.map(async (s) => {
        const hosted: HostedFunction = { name: s.name, url: "", pid: 0, stackEnv: s.stackEnv };
        const fn = new SupervisedFunction({
          name: s.name,
          module: join(ROOT, s.entry),
          target: s.target,
          env: { ...s.stackEnv, ...this.props.localEnv },
          readyTimeoutMs: 60_000,
          backoff: this.props.backoff,
          liveness: this.props.liveness,
          // Every process of the function, restarted ones too, appends to the same log file.
          onStarted: (p) => {
            hosted.pid = p.process.pid;
            this.logs.push(followFunctionLogs(p.process, join(this.props.logDir, `${s.name}.log`), (e) => this.props.onLog?.(s.name, e)));
          },
          onRestart: (e) => this.props.onRestart?.(e),
          onRestartFailed: (name, err) => this.props.onRestartFailed?.(name, err),
        });
        this.supervisors.set(s.name, fn);
        await fn.start();
        hosted.url = fn.url;
        this.functions.push(hosted);
      }),
    );
    return this.functions;
  }

  urlOf(name: string): string {
    const f = this.functions.find((x) => x.name === name);
    if (!f) throw new Error(`function ${name} is not running`);
    return f.url;
  }

  /** Restarts so far, per function name. */
  restarts(): Record<string, number> {
    return Object.fromEntries([...this.supervisors].map(([name, fn]) => [name, fn.restarts]));
  }

  /** The supervised process of a function (e.g. to kill it in a fault run). */
  supervised(name: string): SupervisedFunction {
    const fn = this.supervisors.get(name);
    if (!fn) throw new Error(`function ${name} is not running`);
    return fn;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.supervisors.values()].map((p) => p.stop()));
    await Promise.all(this.logs.map((l) => l.close()));
  }
}
