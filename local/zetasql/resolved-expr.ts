/** Reading expressions of ZetaSQL's resolved AST (the JSON form of its protos), shared by the AST checks. */

type Node = Record<string, unknown>;

export interface Call {
  /** Function name without the `ZetaSQL:` prefix, e.g. `$and`, `$equal`. */
  name: string;
  args: unknown[];
}

/** The function call an expression is, if it is one. */
export function asCall(expr: unknown): Call | undefined {
  const base = (expr as Node | undefined)?.resolved_function_call_base_node as Node | undefined;
  const call = base && (Object.values(base)[0] as Node | undefined);
  const parent = call?.parent as Node | undefined;
  const fn = (parent?.function as { name?: string } | undefined)?.name;
  return fn ? { name: fn.replace(/^ZetaSQL:/, ""), args: (parent!.argument_list as unknown[]) ?? [] } : undefined;
}

/** The column id an expression reads, if it is a bare column reference. */
export function columnRefId(expr: unknown): string | undefined {
  const ref = (expr as Node | undefined)?.resolved_column_ref_node as { column?: { column_id?: string } } | undefined;
  return ref?.column?.column_id;
}
