import type { Construct } from "constructs";
import { isWithin, type Limit } from "../../config/gcp-limits";

/** Thrown when a construct is given props it cannot build; the message starts with the construct path. */
export class ConstructPropsError extends Error {
  constructor(scope: Construct, message: string) {
    super(`${scope.node.path}: ${message}`);
    this.name = "ConstructPropsError";
  }
}

/** Throws a ConstructPropsError unless `ok`. */
export function check(scope: Construct, ok: boolean, message: string): void {
  if (!ok) throw new ConstructPropsError(scope, message);
}

/** Throws a ConstructPropsError unless the prop `name` is a whole number within a GCP limit (config/gcp-limits.ts). */
export function checkIntegerWithin(scope: Construct, name: string, value: number, limit: Limit): void {
  check(scope, Number.isInteger(value) && isWithin(value, limit), `${name} ${value} must be an integer ${limit.min}-${limit.max}`);
}
