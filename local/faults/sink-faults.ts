import { readFileSync, statSync } from "node:fs";
import type { TableId } from "../../contracts/table";
import { TransientWarehouseError, type InsertOptions, type InsertResult, type QueryParam, type QueryResult, type Row, type Warehouse } from "../../functions/runtime/warehouse";

/**
 * Sink faults for a fault run, on the wall clock so they hold across restarts of the function process.
 * errors: a share of insert calls fails as BigQuery's 5xx would; outage: every insert call fails;
 * slow: every insert call takes delayMs longer.
 */
export type SinkFaultPhase =
  | { kind: "errors"; fromMs: number; toMs: number; share: number }
  | { kind: "outage"; fromMs: number; toMs: number }
  | { kind: "slow"; fromMs: number; toMs: number; delayMs: number };

/**
 * Env var naming the plan file (JSON of SinkFaultPhase[]) the local enrichment entry follows; unset = no
 * faults. A file, not the value, because the run writes the plan once it knows when streaming starts.
 */
export const SINK_FAULTS_ENV = "STREAMLINE_LOCAL_SINK_FAULTS";

/** Structured log event of each failed insert call: the fault run counts them from the function's logs. */
export const SINK_FAULT_EVENT = "sink_fault_injected";

export function parseSinkFaults(json: string): SinkFaultPhase[] {
  const phases = JSON.parse(json) as SinkFaultPhase[];
  if (!Array.isArray(phases)) throw new Error(`${SINK_FAULTS_ENV} must be a JSON array of fault phases, got ${json.slice(0, 80)}`);
  for (const p of phases) {
    const known = p.kind === "errors" ? p.share >= 0 && p.share <= 1 : p.kind === "slow" ? p.delayMs >= 0 : p.kind === "outage";
    if (!known || !(p.fromMs <= p.toMs)) throw new Error(`${SINK_FAULTS_ENV}: invalid fault phase ${JSON.stringify(p)}`);
  }
  return phases;
}

/** What the plan does to an insert call starting at nowMs (pure: the caller supplies the random draw). */
export function sinkFaultAt(phases: readonly SinkFaultPhase[], nowMs: number, draw: number): { fail?: "errors" | "outage"; delayMs: number } {
  let delayMs = 0;
  let fail: "errors" | "outage" | undefined;
  for (const p of phases) {
    if (nowMs < p.fromMs || nowMs >= p.toMs) continue;
    if (p.kind === "outage") fail = "outage";
    else if (p.kind === "errors" && draw < p.share) fail ??= "errors";
    else if (p.kind === "slow") delayMs = Math.max(delayMs, p.delayMs);
  }
  return { fail, delayMs };
}

/**
 * A Warehouse that applies a fault plan to insertRows and passes everything else through: wraps the
 * local warehouse in the local function entry, so the deployed code runs unchanged against a failing sink.
 */
export class FaultySinkWarehouse implements Warehouse {
  constructor(
    private readonly inner: Warehouse,
    private readonly phases: () => readonly SinkFaultPhase[],
    private readonly report: (fault: { kind: "errors" | "outage"; table: TableId; rows: number }) => void,
    private readonly random: () => number = Math.random,
    private readonly now: () => number = Date.now,
  ) {}

  async insertRows(table: TableId, rows: Row[], opts?: InsertOptions): Promise<InsertResult> {
    const fault = sinkFaultAt(this.phases(), this.now(), this.random());
    if (fault.delayMs > 0) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault.fail) {
      this.report({ kind: fault.fail, table, rows: rows.length });
      throw new TransientWarehouseError(`injected sink fault (${fault.fail}): insert into ${table} refused`);
    }
    return this.inner.insertRows(table, rows, opts);
  }

  query<T extends Row = Row>(sql: string, params?: Record<string, QueryParam>): Promise<QueryResult<T>> {
    return this.inner.query<T>(sql, params);
  }
}

/** The plan in a file, re-read when the file changes; no file (yet) = no faults. */
export function sinkFaultPlanFile(file: string): () => readonly SinkFaultPhase[] {
  let seen = -1;
  let phases: readonly SinkFaultPhase[] = [];
  return () => {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      return phases;
    }
    if (mtimeMs !== seen) {
      phases = parseSinkFaults(readFileSync(file, "utf8"));
      seen = mtimeMs;
    }
    return phases;
  };
}

/** The local entry's warehouse: wrapped in the plan file named by SINK_FAULTS_ENV when set, as is otherwise. */
export function withSinkFaultsFrom(planFile: string | undefined, warehouse: Warehouse): Warehouse {
  if (!planFile) return warehouse;
  // One JSON line on stdout per failed call (synchronous on a pipe, so a SIGKILL right after loses none).
  return new FaultySinkWarehouse(warehouse, sinkFaultPlanFile(planFile), (f) =>
    process.stdout.write(JSON.stringify({ severity: "WARNING", event: SINK_FAULT_EVENT, kind: f.kind, table: f.table, rows: f.rows }) + "\n"),
  );
}
