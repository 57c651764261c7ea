export { startZetaSql, ZETASQL_ADDRESS_ENV, type ZetaSqlSession } from "./session";
export { startZetaSqlServer, remoteServerBinary, type ZetaSqlServer } from "./server";
export { ZetaSql } from "./zetasql";
export type {
  ZetaSqlOptions,
  TableRows,
  QueryOutput,
  ModifyOutput,
  RowChange,
  OutputColumn,
  ResolvedStatement,
  StatementKind,
  RequestStats,
  EvaluateOptions,
} from "./evaluation-types";
export type { CatalogView } from "./catalog";
export type { TableVersions } from "./view-cache";
export { ZetaSqlError } from "./grpc-client";
export { parseSqlHeader, type SqlHeader } from "./sql-header";
export { encodeNumeric, decodeNumeric } from "./numeric";
export type { ZetaType } from "./types";
export { farmFingerprint } from "./farm-fingerprint";
