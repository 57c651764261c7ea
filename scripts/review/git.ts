import { execFileSync } from "node:child_process";

/** Runs git in `cwd` and returns its trimmed stdout; throws with git's stderr. */
export function git(cwd: string, args: readonly string[]): string {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`git ${args.join(" ")} failed: ${(e.stderr || e.message).trim()}`);
  }
}

/** git without throwing: undefined when it fails (e.g. a ref that does not exist). */
export function gitMaybe(cwd: string, args: readonly string[]): string | undefined {
  try {
    return git(cwd, args);
  } catch {
    return undefined;
  }
}

/** The default base: the merge base with origin/main, else HEAD~1 (as a commit id). */
export function defaultBase(repo: string): { commit: string; label: string } {
  const mergeBase = gitMaybe(repo, ["merge-base", "HEAD", "origin/main"]);
  if (mergeBase) return { commit: mergeBase, label: "merge base with origin/main" };
  const parent = gitMaybe(repo, ["rev-parse", "--verify", "HEAD~1^{commit}"]);
  if (parent) return { commit: parent, label: "HEAD~1" };
  throw new Error("no base to compare with: no origin/main and no HEAD~1; pass --base <ref>");
}
