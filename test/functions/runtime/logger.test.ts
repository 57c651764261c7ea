import { Writable } from "node:stream";
import { TRACE_FIELD, createLogger, traceFields } from "../../../functions/runtime/logger";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { lines, destination };
}

describe("Cloud Logging logger", () => {
  it("writes severity and message (not pino's level/msg) with structured fields", () => {
    const { lines, destination } = capture();
    const log = createLogger({ destination, base: { function: "enrichment" } });
    log.warn({ event: "dead_lettered", reason: "malformed_json" }, "dead-lettered");
    log.error("boom");
    expect(lines[0]).toMatchObject({ severity: "WARNING", message: "dead-lettered", event: "dead_lettered", reason: "malformed_json", function: "enrichment" });
    expect(lines[0]).not.toHaveProperty("level");
    expect(lines[0]).not.toHaveProperty("msg");
    expect(lines[1]).toMatchObject({ severity: "ERROR", message: "boom" });
  });

  it("derives the trace field from X-Cloud-Trace-Context", () => {
    expect(traceFields("105445aa7843bc8bf206b12000100000/1;o=1", "streamline-dev")).toEqual({
      [TRACE_FIELD]: "projects/streamline-dev/traces/105445aa7843bc8bf206b12000100000",
    });
    expect(traceFields(undefined, "p")).toEqual({});
    expect(traceFields("not a trace", "p")).toEqual({});
  });
});
