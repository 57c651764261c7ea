/** The variable that names the local warehouse's folder for the local function entries (set by every local run). */
export const LOCAL_STATE_DIR_ENV = "STREAMLINE_LOCAL_STATE_DIR";

/** The local warehouse's folder, from LOCAL_STATE_DIR_ENV; a clear error when it is not set. */
export function localStateDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env[LOCAL_STATE_DIR_ENV];
  if (!dir) throw new Error(`${LOCAL_STATE_DIR_ENV} is required but not set: the local warehouse's state folder`);
  return dir;
}
