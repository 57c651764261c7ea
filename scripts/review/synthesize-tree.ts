import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { startProcess } from "../../local/processes/managed-process";
import type { SynthesizedStacks } from "./compose-review";
import { writeFunctionFingerprints } from "./function-fingerprints";
import { git, gitMaybe } from "./git";

const STACK_PREFIX = "streamline-";

interface TreeApp {
  synthMain?: (options: { projectRoot: string; outdir?: string; functionBundlesDir?: string }, loadConfigs?: undefined, report?: (m: string) => void) => number;
}

/**
 * Synthesizes every stack of a source tree into `outdir` and reads each environment's cdk.tf.json.
 * The tree's own app (`stacks/app.ts` synthMain) runs in this process, with function archives
 * replaced by fingerprints (see function-fingerprints.ts): no bundling, zipping or child process.
 * A tree whose app has no synthMain runs its own `npm run synth` instead.
 */
export async function synthesize(tree: string, outdir: string, label: string): Promise<SynthesizedStacks> {
  const bundles = `${outdir}-functions`;
  await writeFunctionFingerprints(tree, bundles);
  let app: TreeApp;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    app = require(join(tree, "stacks", "app.ts")) as TreeApp;
  } catch {
    app = {};
  }
  if (typeof app.synthMain !== "function") return synthesizeWithNpm(tree, outdir, label);
  const messages: string[] = [];
  const code = app.synthMain({ projectRoot: tree, outdir, functionBundlesDir: bundles }, undefined, (m) => messages.push(m));
  if (code !== 0) throw new Error(`synth of ${label} failed:\n${messages.join("\n")}`);
  return readStacks(outdir);
}

/** Runs a tree's own `npm run synth` in its own process group (stopped by PID on Ctrl-C or failure). */
async function synthesizeWithNpm(tree: string, outdir: string, label: string): Promise<SynthesizedStacks> {
  const proc = startProcess(`synth ${label}`, "npm", ["run", "-s", "synth"], {
    cwd: tree,
    env: { ...process.env, CDKTF_OUTDIR: outdir },
  });
  const code = await new Promise<number | null>((done) => {
    if (proc.child.exitCode !== null) done(proc.child.exitCode);
    else proc.child.once("exit", (c) => done(c));
  });
  if (code !== 0) throw new Error(`synth of ${label} failed (exit ${code}):\n${proc.output().slice(-4000)}`);
  return readStacks(outdir);
}

/** cdk.tf.json per environment from a cdktf outdir (`stacks/streamline-<env>/cdk.tf.json`). */
export function readStacks(outdir: string): SynthesizedStacks {
  const stacksDir = join(outdir, "stacks");
  const out: Record<string, string> = {};
  for (const dir of readdirSync(stacksDir)) {
    if (!dir.startsWith(STACK_PREFIX)) continue;
    const file = join(stacksDir, dir, "cdk.tf.json");
    if (existsSync(file)) out[dir.slice(STACK_PREFIX.length)] = readFileSync(file, "utf8");
  }
  if (Object.keys(out).length === 0) throw new Error(`no stacks under ${stacksDir}`);
  return out;
}

/**
 * Synth output of committed trees is cached by git tree id under the repository's git folder, so a
 * second review against the same base does not synthesize it again. Written to a temporary folder
 * and renamed into place: a crash leaves no half entry, and of two concurrent writers one wins.
 */
export class SynthCache {
  private readonly dir: string;
  private readonly installed: string;
  /** `installed`: the lockfile of the installed node_modules; synth output depends on it too. */
  constructor(repo: string, installed: string) {
    this.dir = join(resolve(repo, git(repo, ["rev-parse", "--git-common-dir"])), "streamline-review-cache");
    this.installed = createHash("sha256").update(installed).digest("hex").slice(0, 16);
  }
  private key(tree: string): string {
    return `${tree}-${this.installed}`;
  }
  get(tree: string): SynthesizedStacks | undefined {
    const file = join(this.dir, this.key(tree), "stacks.json");
    return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as SynthesizedStacks) : undefined;
  }
  put(tree: string, stacks: SynthesizedStacks): void {
    mkdirSync(this.dir, { recursive: true });
    const tmp = mkdtempSync(join(this.dir, `.${this.key(tree)}-`));
    writeFileSync(join(tmp, "stacks.json"), JSON.stringify(stacks));
    try {
      renameSync(tmp, join(this.dir, this.key(tree)));
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another review cached the same tree first
    }
  }
}

/** The tree id of the working tree when it has no changes against HEAD (tracked or untracked), else undefined. */
export function cleanWorkingTreeId(repo: string): string | undefined {
  return git(repo, ["status", "--porcelain", "--untracked-files=normal"]) === "" ? git(repo, ["rev-parse", "HEAD^{tree}"]) : undefined;
}

/** A temporary detached worktree of `commit` with the repository's node_modules linked in; `remove` deletes it. */
export interface TemporaryWorktree {
  readonly path: string;
  remove(): void;
}

const WORKTREE_PARENT = /\/streamline-review-(\d+)-[^/]+\/base$/;

/** A scratch folder for one review's synth output, named with this PID so a later review can remove it if this one is killed. */
export function makeScratch(): string {
  for (const name of readdirSync(tmpdir())) {
    const m = /^streamline-review-out-(\d+)-/.exec(name);
    if (m && !isAlive(Number(m[1]))) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
  return mkdtempSync(join(tmpdir(), `streamline-review-out-${process.pid}-`));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
  // A killed process whose parent has not reaped it yet still answers signal 0: a zombie is dead.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

/**
 * Removes the temporary worktrees of reviews that died before cleaning up (killed, crashed): their
 * folder names carry the owner's PID. Worktrees of reviews still running are left alone.
 */
export function removeAbandonedWorktrees(repo: string): string[] {
  const removed: string[] = [];
  for (const line of git(repo, ["worktree", "list", "--porcelain"]).split("\n")) {
    const path = line.startsWith("worktree ") ? line.slice("worktree ".length) : undefined;
    const m = path ? WORKTREE_PARENT.exec(path) : null;
    if (!path || !m || isAlive(Number(m[1]))) continue;
    // --force twice: a review killed inside `git worktree add` leaves the worktree locked ("initializing").
    gitMaybe(repo, ["worktree", "remove", "--force", "--force", path]);
    rmSync(dirname(path), { recursive: true, force: true });
    removed.push(path);
  }
  gitMaybe(repo, ["worktree", "prune"]);
  return removed;
}

export function addWorktree(repo: string, commit: string): TemporaryWorktree {
  removeAbandonedWorktrees(repo);
  // The owner's PID in the name lets a later review remove this worktree if this process is killed.
  const parent = mkdtempSync(join(tmpdir(), `streamline-review-${process.pid}-`));
  const path = join(parent, "base");
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    gitMaybe(repo, ["worktree", "remove", "--force", "--force", path]);
    rmSync(parent, { recursive: true, force: true });
    gitMaybe(repo, ["worktree", "prune"]);
  };
  try {
    git(repo, ["worktree", "add", "--detach", "--quiet", path, commit]);
    // The base synthesizes with today's installed packages: installing the base's lockfile would take minutes.
    if (!existsSync(join(path, "node_modules"))) symlinkSync(join(repo, "node_modules"), join(path, "node_modules"), "dir");
  } catch (err) {
    remove();
    throw err;
  }
  return { path, remove };
}
