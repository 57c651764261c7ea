import { InvalidArgumentError } from "commander";

// Option parsers the operator commands over the mirror and the dead letters (replay, redrive) share.

/** An RFC 3339 timestamp with a zone, normalised to ISO UTC. */
export function timestampOption(v: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) || Number.isNaN(Date.parse(v))) {
    throw new InvalidArgumentError("expected an RFC 3339 timestamp with a zone, e.g. 2026-12-01T10:00:00Z");
  }
  return new Date(v).toISOString();
}

/** A positive finite number. */
export function positiveOption(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("expected a positive number");
  return n;
}
