import { Command, Option } from "commander";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readAcknowledgements } from "./review/acknowledgement-files";
import { unacknowledged } from "./review/acknowledgements";
import { composeReview, type SynthesizedStacks } from "./review/compose-review";
import { defaultBase, git } from "./review/git";
import { readSqlFiles } from "./review/sql-files";
import { renderJson, renderMarkdown } from "./review/render";
import { addWorktree, cleanWorkingTreeId, makeScratch, removeAbandonedWorktrees, synthesize, SynthCache, type TemporaryWorktree } from "./review/synthesize-tree";

// `npm run review`: synthesizes the base ref (a temporary git worktree) and the working tree, and
// prints what the change does per environment, hazards first. Exit 1 when a DATA LOSS or BREAKING
// hazard is not acknowledged under migrations/, 2 when the review itself fails.

interface Options {
  base?: string;
  env?: string[];
  format: "md" | "json";
  output?: string;
  cache: boolean;
  timings?: boolean;
}

async function run(opts: Options): Promise<number> {
  const repo = git(process.cwd(), ["rev-parse", "--show-toplevel"]);
  const base = opts.base
    ? { commit: git(repo, ["rev-parse", "--verify", `${opts.base}^{commit}`]), label: opts.base }
    : defaultBase(repo);
  const acknowledgements = readAcknowledgements(repo); // invalid files fail before any synth
  removeAbandonedWorktrees(repo);
  const baseTree = git(repo, ["rev-parse", `${base.commit}^{tree}`]);
  const headTree = cleanWorkingTreeId(repo);
  const lockfile = join(repo, "node_modules", ".package-lock.json");
  const cache = opts.cache ? new SynthCache(repo, existsSync(lockfile) ? readFileSync(lockfile, "utf8") : "") : undefined;

  const scratch = makeScratch();
  let worktree: TemporaryWorktree | undefined;
  const cleanup = () => {
    worktree?.remove();
    rmSync(scratch, { recursive: true, force: true });
  };
  // Registered before the process helpers' own handler, so the worktree is gone before it exits.
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.prependOnceListener("SIGINT", onSignal);
  process.prependOnceListener("SIGTERM", onSignal);
  const started = performance.now();
  const timings: string[] = [];
  const timed = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const result = await work();
    timings.push(`${label}=${Math.round(performance.now() - t0)}ms`);
    return result;
  };
  try {
    const synthBase = async (): Promise<SynthesizedStacks> => {
      const cached = cache?.get(baseTree);
      if (cached) return cached;
      worktree = addWorktree(repo, base.commit);
      const stacks = await synthesize(worktree.path, join(scratch, "base"), `base ${base.label}`);
      cache?.put(baseTree, stacks);
      return stacks;
    };
    const synthHead = async (): Promise<SynthesizedStacks> => {
      const cached = headTree ? cache?.get(headTree) : undefined;
      if (cached) return cached;
      const stacks = await synthesize(repo, join(scratch, "head"), "working tree");
      if (headTree) cache?.put(headTree, stacks);
      return stacks;
    };
    // A clean working tree at the base commit is the same tree: synthesize it once.
    const [baseStacks, headStacks] =
      headTree === baseTree
        ? await timed("synth_once", synthHead).then((s) => [s, s])
        : [await timed("synth_base", synthBase), await timed("synth_head", synthHead)];
    const t0 = performance.now();
    const review = composeReview({
      title: `${base.commit.slice(0, 7)} (${base.label}) → working tree`,
      base: baseStacks,
      head: headStacks,
      environments: opts.env,
      sqlFiles: readSqlFiles(repo),
      acknowledgements,
    });
    const text = opts.format === "json" ? renderJson(review) : renderMarkdown(review);
    timings.push(`compare_render=${Math.round(performance.now() - t0)}ms`, `total=${Math.round(performance.now() - started)}ms`);
    if (opts.timings) console.error(`review timings: ${timings.join(" ")}`);
    if (opts.output) writeFileSync(opts.output, text);
    else process.stdout.write(text);
    const open = unacknowledged(review.environments.flatMap((e) => e.hazards));
    return open.length > 0 ? 1 : 0;
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    cleanup();
  }
}

const program = new Command("review")
  .description("Per-environment semantic diff of the stacks between a base ref and the working tree, with hazards.")
  .option("--base <ref>", "git ref to compare with (default: merge base with origin/main, else HEAD~1)")
  .addOption(new Option("--env <env...>", "only these environments").choices(["dev", "staging", "prod"]))
  .addOption(new Option("--format <format>", "output format").choices(["md", "json"]).default("md"))
  .option("--output <file>", "write the review to a file instead of stdout")
  .option("--no-cache", "synthesize committed trees even when a cached synth exists")
  .option("--timings", "print how long each phase took to stderr")
  .action(async (opts: Options) => {
    try {
      process.exitCode = await run(opts);
    } catch (err) {
      console.error(`review failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 2;
    }
  });

void program.parseAsync();
