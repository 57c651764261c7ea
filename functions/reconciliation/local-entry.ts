// The reconciliation function wired to the local warehouse, for the local pipeline and tests:
// serve it with local/processes/function-process.ts (module: this file, target: "reconciliation"). Not part of
// the deployed bundle (that is index.ts, on BigQuery).
import { LocalWarehouse } from "../../local/warehouse/local-warehouse";
import { startZetaSql } from "../../local/zetasql";
import { readReconciliationEnv } from "./env";
import { registerReconciliation } from "./register";
import { createReconciliationFunction } from "./wiring";

/** Folder of the local warehouse's tables (as `npm start` and `npm run reconcile` use it). */
export const LOCAL_STATE_DIR_ENV = "STREAMLINE_LOCAL_STATE_DIR";

const env = readReconciliationEnv();
const stateDir = process.env[LOCAL_STATE_DIR_ENV];
if (!stateDir) throw new Error(`${LOCAL_STATE_DIR_ENV} is required but not set: the local warehouse's state folder`);

// Joins the ZetaSQL server named by STREAMLINE_ZETASQL_ADDRESS, or starts its own (stopped on exit by PID).
registerReconciliation(
  startZetaSql().then((zetasql) => createReconciliationFunction(env, { warehouse: new LocalWarehouse({ stateDir, zetasql }) })),
);
