import { readReconciliationEnv } from "./env";
import { registerReconciliation } from "./register";
import { createReconciliationFunction } from "./wiring";

// Cold start: a missing or invalid env var throws here, naming the variable, and the instance never serves.
registerReconciliation(createReconciliationFunction(readReconciliationEnv()));
