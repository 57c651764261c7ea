import type { InsertResult, Warehouse } from "../../functions/runtime/warehouse";
import { FirstRowsFaultWarehouse, firstRowsFaultFrom } from "./first-rows-fault";

/** Env vars of the fault switch, read by local/functions/enrichment-entry.ts. */
export const FAULT_ENV = { ackWithoutWrite: "STREAMLINE_FAULT_ACK_WITHOUT_WRITE", recordFile: "STREAMLINE_FAULT_RECORD_FILE" } as const;

/**
 * A fault switch of the local pipeline: the first `count` rows bound for `table` are reported
 * written but never stored, so the enrichment function acks those events without writing them: the
 * loss the stream parity canary exists to find. Each dropped row's insertId is appended to
 * `recordFile` (one per line) so a test knows exactly which events were lost.
 */
export class AckWithoutWriteWarehouse extends FirstRowsFaultWarehouse {
  protected answer(takenIds: string[], kept: InsertResult): InsertResult {
    return { inserted: takenIds.length + kept.inserted, failed: kept.failed };
  }
}

/** The warehouse behind the fault switch when FAULT_ENV asks for it (a clear error for a bad value); else `warehouse` itself. */
export function ackWithoutWriteFrom(env: NodeJS.ProcessEnv, warehouse: Warehouse): Warehouse {
  const fault = firstRowsFaultFrom(env, { count: FAULT_ENV.ackWithoutWrite, recordFile: FAULT_ENV.recordFile });
  return fault ? new AckWithoutWriteWarehouse(warehouse, fault) : warehouse;
}
