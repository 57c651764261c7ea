import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addWorktree, removeAbandonedWorktrees, SynthCache } from "../../../scripts/review/synthesize-tree";
import { PROJECT_ROOT } from "../../stacks/synth-pipeline";

// The review's write paths outside the working tree: temporary worktrees and the synth cache, with
// two reviews at once and a review killed half-way (child processes, stopped by their PID).
let repo: string;
const env = { ...process.env, GIT_DIR: undefined, GIT_WORK_TREE: undefined };
const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, env, encoding: "utf8" }).trim();
const worktrees = () => git("worktree", "list", "--porcelain").split("\n").filter((l) => l.startsWith("worktree ")).map((l) => l.slice(9));
const MODULE = join(PROJECT_ROOT, "scripts", "review", "synthesize-tree.ts");

/** Runs a snippet against synthesize-tree.ts in its own process group; resolves with what it printed. */
function child(code: string, onLine?: (line: string, pid: number) => void): Promise<{ out: string; signal: NodeJS.Signals | null }> {
  const p = spawn(join(PROJECT_ROOT, "node_modules", ".bin", "tsx"), ["-e", `const m = require(${JSON.stringify(MODULE)}); const repo = ${JSON.stringify(repo)}; ${code}`], {
    cwd: repo,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  p.stdout.on("data", (b: Buffer) => {
    out += b.toString();
    if (onLine) for (const line of b.toString().split("\n").filter(Boolean)) onLine(line, p.pid!);
  });
  return new Promise((resolve) => p.once("exit", (_code, signal) => resolve({ out, signal })));
}

beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), "streamline-worktree-test-"));
  git("init", "-q", "-b", "main");
  writeFileSync(join(repo, "a.txt"), "a\n");
  git("add", "-A");
  git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "a");
});

afterEach(() => rmSync(repo, { recursive: true, force: true }));

describe("temporary worktrees and the synth cache", () => {
  it("gives two reviews at once their own worktree and removes both", async () => {
    const snippet = `const w = m.addWorktree(repo, "HEAD"); console.log(w.path); setTimeout(() => { w.remove(); console.log("removed"); }, 1500);`;
    const [a, b] = await Promise.all([child(snippet), child(snippet)]);
    const paths = [a.out.split("\n")[0], b.out.split("\n")[0]];
    expect(new Set(paths).size).toBe(2);
    expect(a.out + b.out).toMatch(/removed[\s\S]*removed/);
    expect(worktrees()).toEqual([repo]);
    for (const p of paths) expect(existsSync(p)).toBe(false);
  });

  it("removes the worktree of a killed review on the next run, and never one whose review still runs", async () => {
    let killedPath = "";
    const killed = await child(`console.log(m.addWorktree(repo, "HEAD").path); setTimeout(() => {}, 60000);`, (line, pid) => {
      killedPath = line;
      process.kill(-pid, "SIGKILL");
    });
    expect(killed.signal).toBe("SIGKILL");
    expect(worktrees()).toEqual([repo, killedPath]);
    expect(removeAbandonedWorktrees(repo)).toEqual([killedPath]);
    expect(worktrees()).toEqual([repo]);
    expect(existsSync(killedPath)).toBe(false);
    const live = addWorktree(repo, "HEAD"); // owned by this (live) process
    try {
      expect(removeAbandonedWorktrees(repo)).toEqual([]);
      expect(worktrees()).toEqual([repo, live.path]);
    } finally {
      live.remove();
    }
    expect(worktrees()).toEqual([repo]);
  });

  it("removes a worktree left locked by a review killed inside `git worktree add`", () => {
    const parent = mkdtempSync(join(tmpdir(), "streamline-review-99999999-")); // beyond pid_max: no such process
    git("worktree", "add", "--lock", "--detach", "--quiet", join(parent, "base"), "HEAD");
    expect(removeAbandonedWorktrees(repo)).toEqual([join(parent, "base")]);
    expect(worktrees()).toEqual([repo]);
    expect(existsSync(parent)).toBe(false);
  });

  it("keeps one whole cache entry when two reviews cache the same tree at once", async () => {
    const tree = git("rev-parse", "HEAD^{tree}");
    const put = (n: number) => child(`new m.SynthCache(repo, "lock").put(${JSON.stringify(tree)}, { dev: "writer ${n}" }); console.log("ok");`);
    const [a, b] = await Promise.all([put(1), put(2)]);
    expect([a.out.trim(), b.out.trim()]).toEqual(["ok", "ok"]);
    expect(["writer 1", "writer 2"]).toContain(new SynthCache(repo, "lock").get(tree)?.dev);
    expect(new SynthCache(repo, "other lockfile").get(tree)).toBeUndefined();
    const cacheDir = join(repo, ".git", "streamline-review-cache");
    expect(readdirSync(cacheDir).filter((f) => f.startsWith("."))).toEqual([]); // no half-written entries left
  });
});
