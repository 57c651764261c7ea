import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { startFunctionProcess, type FunctionProcess } from "./function-process";
import { followFunctionLogs, type LogEntry } from "./function-logs";
import { resourcesOfType, type TerraformJson } from "../emulator/terraform-json";

const ROOT = resolve(__dirname, "..", "..");

/** The entry that wires each deployed function to the local warehouse (same handler, local adapters). */
export const LOCAL_FUNCTION_ENTRIES: Readonly<Record<string, string>> = {
  enrichment: "functions/enrichment/local-entry.ts",
  reconciliation: "functions/reconciliation/local-entry.ts",
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
}

export interface HostedFunction {
  name: string;
  url: string;
  pid: number;
  /** Env vars as the stack sets them (before local additions). */
  stackEnv: Record<string, string>;
}

/**
 * Runs every function of the stack through the Functions Framework, each as its own process on a
 * free loopback port, with the environment variables the stack gives it.
 */
export class FunctionsHost {
  readonly functions: HostedFunction[] = [];
  private readonly processes: FunctionProcess[] = [];
  private readonly logs: { close(): Promise<void> }[] = [];

  constructor(private readonly props: FunctionsHostProps) {}

  async start(): Promise<HostedFunction[]> {
    mkdirSync(this.props.logDir, { recursive: true });
    const specs = resourcesOfType(this.props.stack, "google_cloudfunctions2_function").map(([, f]) => {
      const name = String(f.name);
      const build = f.build_config as { entry_point?: string } | undefined;
      const service = f.service_config as { environment_variables?: Record<string, string> } | undefined;
      const entry = LOCAL_FUNCTION_ENTRIES[name];
      if (!entry) throw new Error(`the stack deploys function ${name}, but no local entry wires it to the local warehouse (add it to LOCAL_FUNCTION_ENTRIES)`);
      return { name, target: build?.entry_point ?? name, entry, stackEnv: service?.environment_variables ?? {} };
    });
    await Promise.all(
      specs.map(async (s) => {
        const fn = await startFunctionProcess({
          module: join(ROOT, s.entry),
          target: s.target,
          env: { ...s.stackEnv, ...this.props.localEnv },
          readyTimeoutMs: 60_000,
        });
        this.processes.push(fn);
        this.logs.push(followFunctionLogs(fn.process, join(this.props.logDir, `${s.name}.log`), (e) => this.props.onLog?.(s.name, e)));
        this.functions.push({ name: s.name, url: fn.url, pid: fn.process.pid, stackEnv: s.stackEnv });
      }),
    );
    return this.functions;
  }

  urlOf(name: string): string {
    const f = this.functions.find((x) => x.name === name);
    if (!f) throw new Error(`function ${name} is not running`);
    return f.url;
  }

  async stop(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.stop()));
    await Promise.all(this.logs.map((l) => l.close()));
  }
}
