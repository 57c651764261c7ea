import type { ZetaSqlTypeProto } from "../../contracts/derive/zetasql-catalog";
import type { ParamType } from "../../functions/runtime/warehouse";

/** ZetaSQL `TypeProto` as the gRPC client exchanges it (enum names as strings). */
export type ZetaType = ZetaSqlTypeProto;

const PARAM_TYPE_KIND: Record<ParamType, string> = {
  STRING: "TYPE_STRING",
  INT64: "TYPE_INT64",
  FLOAT64: "TYPE_DOUBLE",
  NUMERIC: "TYPE_NUMERIC",
  BOOL: "TYPE_BOOL",
  DATE: "TYPE_DATE",
  TIMESTAMP: "TYPE_TIMESTAMP",
};

export function paramZetaType(t: ParamType): ZetaType {
  return { type_kind: PARAM_TYPE_KIND[t] };
}

export const PARAM_TYPES = Object.keys(PARAM_TYPE_KIND) as ParamType[];

