import type { InsertResult, RowFailure, Warehouse } from "../../functions/runtime/warehouse";
import { FirstRowsFaultWarehouse, firstRowsFaultFrom } from "./first-rows-fault";

/** Env vars of the fault switch, read by local/functions/enrichment-entry.ts. */
export const REJECT_ROWS_ENV = { count: "STREAMLINE_FAULT_REJECT_ROWS", recordFile: "STREAMLINE_FAULT_REJECT_RECORD_FILE" } as const;

/** The reason a rejected row carries: what BigQuery says of a row its table refuses. */
export const REJECTED_ROW_REASON = "invalid: the table's rule (local fault switch, fixed by restarting without it) refuses this row";

/**
 * A fault switch of the local pipeline: the first `count` rows bound for `table` are refused as
 * invalid (not retryable), as BigQuery refuses rows a wrong table rule or a bad migration does not
 * accept. The deployed enrichment function dead-letters each (reason rejected_by_warehouse) and acks:
 * the case `npm run redrive` exists for once the rule is fixed, i.e. the function restarted without
 * the switch. Each refused row's insertId is appended to `recordFile` (one per line) so a test knows
 * exactly which events were dead-lettered.
 */
export class RejectRowsWarehouse extends FirstRowsFaultWarehouse {
  protected answer(takenIds: string[], kept: InsertResult): InsertResult {
    const refused: RowFailure[] = takenIds.map((_, index) => ({ index, reason: REJECTED_ROW_REASON, retryable: false }));
    return { inserted: kept.inserted, failed: [...refused, ...kept.failed] };
  }
}

/** The warehouse behind the fault switch when REJECT_ROWS_ENV asks for it (a clear error for a bad value); else `warehouse` itself. */
export function rejectRowsFrom(env: NodeJS.ProcessEnv, warehouse: Warehouse): Warehouse {
  const fault = firstRowsFaultFrom(env, { count: REJECT_ROWS_ENV.count, recordFile: REJECT_ROWS_ENV.recordFile });
  return fault ? new RejectRowsWarehouse(warehouse, fault) : warehouse;
}
