/**
 * A small, exact evaluator for the simple filter conjuncts a scan pushes down (scan-plan.ts): it
 * runs over the encoded cells a row is about to be sent with, so it sees exactly the values ZetaSQL
 * would see. Supported: comparisons (=, !=, <, <=, >, >=, BETWEEN, IN list, IN UNNEST(array)),
 * IS NULL, NOT, AND, OR, and MOD / ABS / FARM_FINGERPRINT on INT64, STRING, BYTES, NUMERIC, DATE,
 * TIMESTAMP and BOOL values from columns, literals and query parameters; COALESCE, CONCAT of
 * strings, SAFE_CONVERT_BYTES_TO_STRING and SAFE.JSON_VALUE(text, '$.key') (so a hash shard of a
 * key inside a JSON payload prunes rows: sql/parity/lost_in_enrichment.sql). Anything else does not
 * compile, and the conjunct is left to ZetaSQL alone. Where ZetaSQL would raise an error (MOD by
 * zero, ABS overflow) or where the JS value is not known to be exact (see farm-fingerprint.ts) the
 * row is kept, so ZetaSQL decides.
 */

import { isUtf8 } from "node:buffer";
import { farmFingerprint } from "./farm-fingerprint";
import { numericToScaled } from "./numeric";
import type { ValueProto } from "./values";

type Node = Record<string, unknown>;

/** A value ZetaSQL would compute, in a form JS compares exactly; null is SQL NULL. */
type Scalar = bigint | number | string | boolean | Buffer;
type Value = Scalar | Scalar[] | null;

/** Evaluates a pushed conjunct over a row's cells: false only when the filter is certainly not TRUE. */
export type RowPredicate = (cells: readonly ValueProto[]) => boolean;

class Unevaluable extends Error {}

type Compiled = (cells: readonly ValueProto[]) => Value;

export interface PredicateScope {
  /** Cell index of each column the predicate may read, by the resolved AST's column_id. */
  cellIndexByColumnId: ReadonlyMap<string, number>;
  /** Query parameter values, encoded as ValueProto (by parameter name). */
  params: ReadonlyMap<string, ValueProto>;
}

const SCALAR_KINDS = new Set(["TYPE_INT64", "TYPE_STRING", "TYPE_BYTES", "TYPE_NUMERIC", "TYPE_DATE", "TYPE_TIMESTAMP", "TYPE_BOOL"]);
const COMPARE: Record<string, (c: number) => boolean> = {
  $equal: (c) => c === 0,
  $not_equal: (c) => c !== 0,
  $less: (c) => c < 0,
  $less_or_equal: (c) => c <= 0,
  $greater: (c) => c > 0,
  $greater_or_equal: (c) => c >= 0,
};

/** Compiles a boolean expression into a row predicate; undefined when any part is not supported. */
export function compileRowPredicate(expr: unknown, scope: PredicateScope): RowPredicate | undefined {
  const compiled = compile(expr, scope);
  if (!compiled) return undefined;
  return (cells) => {
    try {
      return compiled(cells) === true;
    } catch (e) {
      if (e instanceof Unevaluable) return true; // ZetaSQL raises the error: keep the row so it can.
      throw e;
    }
  };
}

function typeKind(type: unknown): string | undefined {
  return (type as { type_kind?: string } | undefined)?.type_kind;
}

/** ValueProto of a scalar type -> an exactly comparable JS value. */
function fromProto(v: ValueProto | undefined, kind: string): Value {
  if (!v || Object.keys(v).length === 0) return null;
  switch (kind) {
    case "TYPE_INT64":
      return v.int64_value === undefined ? null : BigInt(v.int64_value as string);
    case "TYPE_STRING":
      return (v.string_value as string | undefined) ?? null;
    case "TYPE_BYTES":
      return v.bytes_value === undefined ? null : Buffer.from(v.bytes_value as Uint8Array);
    case "TYPE_NUMERIC":
      return v.numeric_value === undefined ? null : numericToScaled(v.numeric_value as Uint8Array);
    case "TYPE_DATE":
      return v.date_value === undefined ? null : Number(v.date_value);
    case "TYPE_TIMESTAMP": {
      const t = v.timestamp_value as { seconds?: string | number; nanos?: number } | undefined;
      return t === undefined ? null : BigInt(t.seconds ?? 0) * 1_000_000_000n + BigInt(t.nanos ?? 0);
    }
    case "TYPE_BOOL":
      return (v.bool_value as boolean | undefined) ?? null;
    default:
      throw new Error(`row-predicate: no comparable form for ${kind}`);
  }
}

function constantOf(v: ValueProto | undefined, type: unknown): Compiled | undefined {
  const kind = typeKind(type);
  if (kind && SCALAR_KINDS.has(kind)) {
    const value = fromProto(v, kind);
    return () => value;
  }
  const element = typeKind((type as { array_type?: { element_type?: unknown } } | undefined)?.array_type?.element_type);
  if (kind === "TYPE_ARRAY" && element && SCALAR_KINDS.has(element)) {
    const arr = v?.array_value as { element?: ValueProto[] } | undefined;
    const value = arr === undefined ? null : (arr.element ?? []).map((e) => fromProto(e, element) as Scalar);
    return () => value;
  }
  return undefined;
}

/** Three-way comparison of two non-null values of one type (STRING by UTF-8 bytes, as ZetaSQL). */
function compare(a: Scalar, b: Scalar): number {
  if (typeof a === "string" && typeof b === "string") return a === b ? 0 : Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return Buffer.compare(a, b);
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

function and(values: Value[]): Value {
  if (values.some((v) => v === false)) return false;
  return values.some((v) => v === null) ? null : true;
}

function or(values: Value[]): Value {
  if (values.some((v) => v === true)) return true;
  return values.some((v) => v === null) ? null : false;
}

function compile(expr: unknown, scope: PredicateScope): Compiled | undefined {
  const node = (expr ?? {}) as Node;
  const colRef = node.resolved_column_ref_node as { column?: { column_id?: string; type?: unknown }; is_correlated?: boolean } | undefined;
  if (colRef) {
    const index = scope.cellIndexByColumnId.get(colRef.column?.column_id ?? "");
    const kind = typeKind(colRef.column?.type);
    if (index === undefined || !kind || !SCALAR_KINDS.has(kind) || colRef.is_correlated) return undefined;
    return (cells) => fromProto(cells[index], kind);
  }
  const literal = node.resolved_literal_node as { value?: { type?: unknown; value?: ValueProto } } | undefined;
  if (literal) return constantOf(literal.value?.value, literal.value?.type);
  const param = node.resolved_parameter_node as { name?: string; parent?: { type?: unknown } } | undefined;
  if (param) {
    const value = scope.params.get(param.name ?? "");
    return value === undefined || !param.name ? undefined : constantOf(value, param.parent?.type);
  }
  const call = functionCall(node);
  if (!call) return undefined;
  // SAFE. calls turn errors into NULL: a different function, supported only where written for it.
  if (call.errorMode !== undefined && call.errorMode !== "DEFAULT_ERROR_MODE" && !(call.errorMode === "SAFE_ERROR_MODE" && call.name === "json_value")) return undefined;
  const args = call.args.map((a) => compile(a, scope));
  if (args.some((a) => a === undefined)) return undefined;
  const fns = args as Compiled[];
  const argKinds = call.args.map(exprTypeKind);
  const sameKind = argKinds.every((k) => k !== undefined && k === argKinds[0]);
  const compareOp = COMPARE[call.name];
  if (compareOp) {
    if (!sameKind || fns.length !== 2) return undefined;
    return (cells) => {
      const a = fns[0](cells) as Scalar | null;
      const b = fns[1](cells) as Scalar | null;
      return a === null || b === null ? null : compareOp(compare(a, b));
    };
  }
  switch (call.name) {
    case "$and":
      return (cells) => and(fns.map((f) => f(cells)));
    case "$or":
      return (cells) => or(fns.map((f) => f(cells)));
    case "$not":
      return (cells) => {
        const v = fns[0](cells);
        return v === null ? null : !v;
      };
    case "$is_null":
      return (cells) => fns[0](cells) === null;
    case "$between":
      if (!sameKind) return undefined;
      return (cells) => {
        const [x, lo, hi] = fns.map((f) => f(cells)) as (Scalar | null)[];
        return and([x === null || lo === null ? null : compare(x, lo) >= 0, x === null || hi === null ? null : compare(x, hi) <= 0]);
      };
    case "$in":
      if (!sameKind) return undefined;
      return (cells) => inList(fns[0](cells) as Scalar | null, fns.slice(1).map((f) => f(cells) as Scalar | null));
    case "$in_array":
      return (cells) => {
        const list = fns[1](cells) as Scalar[] | null;
        // IN UNNEST of a NULL or empty array is FALSE whatever the left side, NULL included.
        return list === null || list.length === 0 ? false : inList(fns[0](cells) as Scalar | null, list);
      };
    case "mod":
      if (argKinds[0] !== "TYPE_INT64" || argKinds[1] !== "TYPE_INT64") return undefined;
      return (cells) => {
        const [x, y] = fns.map((f) => f(cells)) as (bigint | null)[];
        if (x === null || y === null) return null;
        if (y === 0n) throw new Unevaluable("division by zero");
        return x % y; // truncated: the sign of x, as ZetaSQL's MOD
      };
    case "abs":
      if (argKinds[0] !== "TYPE_INT64") return undefined;
      return (cells) => {
        const x = fns[0](cells) as bigint | null;
        if (x === null) return null;
        if (x === -(2n ** 63n)) throw new Unevaluable("int64 overflow");
        return x < 0n ? -x : x;
      };
    case "farm_fingerprint":
      if (argKinds[0] !== "TYPE_STRING" && argKinds[0] !== "TYPE_BYTES") return undefined;
      return (cells) => {
        const x = fns[0](cells) as string | Buffer | null;
        if (x === null) return null;
        const fp = farmFingerprint(x);
        if (fp === undefined) throw new Unevaluable("no exact FARM_FINGERPRINT for this input length");
        return fp;
      };
    case "coalesce":
      if (!sameKind) return undefined;
      return (cells) => {
        for (const f of fns) {
          const v = f(cells);
          if (v !== null) return v;
        }
        return null;
      };
    case "concat":
      if (!sameKind || argKinds[0] !== "TYPE_STRING") return undefined;
      return (cells) => {
        const parts = fns.map((f) => f(cells) as string | null);
        return parts.some((p) => p === null) ? null : parts.join("");
      };
    case "safe_convert_bytes_to_string":
      if (argKinds[0] !== "TYPE_BYTES") return undefined;
      return (cells) => {
        const x = fns[0](cells) as Buffer | null;
        if (x === null) return null;
        // Invalid UTF-8 becomes U+FFFD in ZetaSQL; not reproduced here.
        if (!isUtf8(x)) throw new Unevaluable("bytes are not valid UTF-8");
        return x.toString("utf8");
      };
    case "json_value": {
      if (call.errorMode !== "SAFE_ERROR_MODE" || argKinds[0] !== "TYPE_STRING" || fns.length !== 2) return undefined;
      const path = constantPath(call.args[1], scope);
      if (path === undefined) return undefined;
      return (cells) => topLevelJsonString(fns[0](cells) as string | null, path);
    }
    default:
      return undefined;
  }
}

/** The key of a constant JSONPath `$.key` (a plain identifier), else undefined. */
function constantPath(expr: unknown, scope: PredicateScope): string | undefined {
  const compiled = compile(expr, scope);
  const path = compiled?.([]);
  const m = typeof path === "string" ? /^\$\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(path) : null;
  return m?.[1];
}

/**
 * SAFE.JSON_VALUE(text, '$.key') where it is certainly known: NULL for NULL text or a top-level
 * object without the key, the string for a string value. Anything ZetaSQL might read differently
 * (text JSON.parse refuses, a non-object, a non-string value, the key written twice or escaped,
 * where JS and ZetaSQL could pick different copies) is Unevaluable, so the row is kept.
 */
function topLevelJsonString(text: string | null, key: string): Value {
  if (text === null) return null;
  if (text.includes("\\u")) throw new Unevaluable("escaped characters may spell the key");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Unevaluable("not JSON to JSON.parse");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Unevaluable("not a JSON object");
  const mentions = text.split(`"${key}"`).length - 1;
  if (!Object.hasOwn(parsed, key)) {
    if (mentions === 0) return null;
    throw new Unevaluable("the key appears nested");
  }
  if (mentions !== 1) throw new Unevaluable("the key appears more than once");
  const value = (parsed as Record<string, unknown>)[key];
  if (value === null) return null;
  if (typeof value !== "string") throw new Unevaluable("not a string value");
  return value;
}

function inList(x: Scalar | null, list: (Scalar | null)[]): Value {
  if (x === null) return null;
  if (list.some((v) => v !== null && compare(x, v) === 0)) return true;
  return list.some((v) => v === null) ? null : false;
}

/** A resolved function call (the wrapper oneof unwrapped): its name without "ZetaSQL:" and its arguments. */
export function functionCall(expr: unknown): { name: string; args: unknown[]; errorMode?: string } | undefined {
  const base = (expr as Node | undefined)?.resolved_function_call_base_node as Node | undefined;
  const call = base?.resolved_function_call_node as Node | undefined;
  const parent = call?.parent as Node | undefined;
  const fn = (parent?.function as { name?: string } | undefined)?.name;
  if (!fn || !call) return undefined;
  return { name: fn.replace(/^ZetaSQL:/, ""), args: (parent!.argument_list as unknown[]) ?? [], errorMode: parent!.error_mode as string | undefined };
}

/** The type kind of a resolved expression (every ResolvedExpr keeps its type in its base). */
function exprTypeKind(expr: unknown): string | undefined {
  let n = Object.values((expr ?? {}) as Node)[0] as Node | undefined;
  for (let depth = 0; n && depth < 4; depth++) {
    if (n.type) return typeKind(n.type);
    n = (n.parent as Node | undefined) ?? (Object.values(n)[0] as Node | undefined);
  }
  return undefined;
}
