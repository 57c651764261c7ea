import { base } from "./base";
import { deepMerge, type DeepPartial } from "./deep-merge";
import type { ConfigInput } from "./schema";

/** What only an environment can say (base has no value for it); every other field is optional. */
export type EnvironmentOverrides = DeepPartial<ConfigInput> &
  Pick<ConfigInput, "environment" | "project" | "stateBucket" | "deletionProtection" | "bigquery"> & {
    monitoring: Pick<ConfigInput["monitoring"], "notificationChannels">;
  };

/**
 * An environment's config: config/base.ts with the environment's differences laid over it (objects
 * merge, lists and values replace). The result is still validated as a whole by config/schema.ts.
 */
export function overBase(overrides: EnvironmentOverrides): ConfigInput {
  return deepMerge<DeepPartial<ConfigInput>>(base, overrides) as ConfigInput;
}
