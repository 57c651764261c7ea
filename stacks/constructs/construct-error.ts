import type { Construct } from "constructs";

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
