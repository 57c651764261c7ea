import { Presets, SingleBar } from "cli-progress";
import { InvalidArgumentError } from "commander";
import { randomUUID } from "node:crypto";

// What the operator commands over the mirror and the dead letters (replay, redrive) share: option
// parsers, run ids, the progress bar and the exit-code convention.

/** An RFC 3339 timestamp with a zone, normalised to ISO UTC. */
export function timestampOption(v: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) || Number.isNaN(Date.parse(v))) {
    throw new InvalidArgumentError("expected an RFC 3339 timestamp with a zone, e.g. 2026-12-01T10:00:00Z");
  }
  return new Date(v).toISOString();
}

/** A positive finite number. */
export function positiveOption(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("expected a positive number");
  return n;
}

/** A run id an operator can read and sort: `<kind>-<UTC yyyymmddThhmmss>-<8 random hex>`. */
export function operatorRunId(kind: "replay" | "redrive", now = new Date()): string {
  return `${kind}-${now.toISOString().replace(/[-:.]/g, "").slice(0, 15)}-${randomUUID().slice(0, 8)}`;
}

/** A progress bar on stderr when it is a terminal (none otherwise, or when `enabled` is false). */
export function progressBar(format: string, enabled: boolean): { onProgress(done: number, total: number): void; stop(): void } {
  const bar = process.stderr.isTTY && enabled ? new SingleBar({ format, stream: process.stderr }, Presets.shades_classic) : undefined;
  return {
    onProgress: (done, total) => {
      if (done === 1) bar?.start(total, 0);
      bar?.update(done);
    },
    stop: () => bar?.stop(),
  };
}

/** Runs a command's main: its number is the exit code; a thrown error is printed without a stack and exits 1. */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
