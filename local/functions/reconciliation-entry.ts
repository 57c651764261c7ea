// The reconciliation function wired to the local warehouse, for the local pipeline and tests: served by
// local/processes/function-process.ts (target "reconciliation"). Not part of the deployed bundle (that
// is functions/reconciliation/index.ts, on BigQuery).
import { readReconciliationEnv } from "../../functions/reconciliation/env";
import { registerReconciliation } from "../../functions/reconciliation/register";
import { createReconciliationFunction } from "../../functions/reconciliation/wiring";
import { LocalWarehouse } from "../warehouse/local-warehouse";
import { startZetaSql } from "../zetasql";
import { localStateDirFromEnv } from "./local-state";

const env = readReconciliationEnv();
const stateDir = localStateDirFromEnv();

// Joins the ZetaSQL server named by STREAMLINE_ZETASQL_ADDRESS, or starts its own (stopped on exit by PID).
registerReconciliation(
  startZetaSql().then((zetasql) => createReconciliationFunction(env, { warehouse: new LocalWarehouse({ stateDir, zetasql }) })),
);
