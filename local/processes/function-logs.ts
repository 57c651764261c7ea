import { createWriteStream, type WriteStream } from "node:fs";
import { createInterface } from "node:readline";
import type { ManagedProcess } from "./managed-process";

/** One structured log line of a function (pino JSON); non-JSON lines come through as { msg }. */
export type LogEntry = Record<string, unknown>;

/**
 * Follows a function process's stdout/stderr line by line: every line goes to `file`, and each
 * parsed JSON entry to `onEntry`. Counting from the stream (not the process's bounded output
 * buffer) keeps counts exact however long the run.
 */
export function followFunctionLogs(proc: ManagedProcess, file: string, onEntry: (e: LogEntry) => void): { close(): Promise<void> } {
  const out: WriteStream = createWriteStream(file, { flags: "a" });
  const readers = [proc.child.stdout, proc.child.stderr].filter((s) => s !== null).map((stream) => createInterface({ input: stream }));
  for (const rl of readers) {
    rl.on("line", (line) => {
      out.write(line + "\n");
      onEntry(parseLine(line));
    });
  }
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const rl of readers) rl.close();
        out.end(() => resolve());
      }),
  };
}

function parseLine(line: string): LogEntry {
  if (line.startsWith("{")) {
    try {
      return JSON.parse(line) as LogEntry;
    } catch {
      /* not JSON after all */
    }
  }
  return { msg: line };
}
