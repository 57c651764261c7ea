import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PROJECT_ROOT } from "../../stacks/synth-pipeline";

// `npm run review` on a real throwaway git repository: a copy of this project, committed, changed,
// committed again; each review synthesizes its base in a temporary worktree (cached by tree id).
// Five trees are synthesized in all; on a loaded 2-core machine that can take minutes.
jest.setTimeout(300_000);
let repo: string;
const env = { ...process.env, GIT_DIR: undefined, GIT_WORK_TREE: undefined, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" };
const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, env, encoding: "utf8" }).trim();

function edit(file: string, from: string, to: string): void {
  const path = join(repo, file);
  const text = readFileSync(path, "utf8");
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
  writeFileSync(path, text.replace(from, to));
}

function commit(message: string): void {
  git("add", "-A");
  git("commit", "-q", "-m", message);
}

const TSX = join(PROJECT_ROOT, "node_modules", ".bin", "tsx");

const worktrees = () => git("worktree", "list").split("\n");

function review(...args: string[]): { code: number | null; out: string; lines: string[] } {
  const r = spawnSync(TSX, ["scripts/review.ts", ...args], { cwd: repo, env, encoding: "utf8", timeout: 240_000 });
  if (r.status === 2 || r.error) throw new Error(`review failed: ${r.stderr}${r.error?.message ?? ""}`);
  return { code: r.status, out: r.stdout, lines: r.stdout.split("\n").map((l) => l.replace(/^- /, "")) };
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "streamline-review-repo-"));
  const files = execFileSync("git", ["ls-files", "-z"], { cwd: PROJECT_ROOT, encoding: "utf8" }).split("\0").filter(Boolean);
  for (const f of files) {
    mkdirSync(dirname(join(repo, f)), { recursive: true });
    cpSync(join(PROJECT_ROOT, f), join(repo, f));
  }
  symlinkSync(join(PROJECT_ROOT, "node_modules"), join(repo, "node_modules"), "dir");
  git("init", "-q", "-b", "main");
  // .gitignore's "node_modules/" matches folders only; the link to the installed packages is a symlink.
  writeFileSync(join(repo, ".git", "info", "exclude"), "node_modules\n");
  commit("base");
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe("npm run review on real git history", () => {
  it("reports a config change to one environment only there (others only redeploy their functions): RISK for the retention cut, COST for more min instances", () => {
    edit("config/prod.ts", `"commerce-events": { messageRetention: "2678400s" }`, `"commerce-events": { messageRetention: "1209600s" }`);
    edit("config/prod.ts", "minInstances: 1, maxInstances: 50", "minInstances: 2, maxInstances: 50");
    commit("prod: shorter replay window, warmer enrichment");
    const r = review(); // default base: no origin/main here, so HEAD~1
    expect(r.code).toBe(0);
    // The functions bundle every environment's config (they pick theirs by STREAMLINE_ENV), so dev and
    // staging redeploy their functions and change nothing else.
    for (const e of ["dev", "staging"]) {
      expect(r.lines.filter((l) => l.startsWith(`${e} · `))).toEqual([
        `${e} · source archive enrichment · archive content changed (new deployment of the function)`,
        `${e} · source archive reconciliation · archive content changed (new deployment of the function)`,
      ]);
    }
    expect(r.lines).toEqual(
      expect.arrayContaining([
        "⚠️ prod · RISK · topic commerce-events · message retention 31 d → 14 d: the replay window shrinks: messages older than 14 d can no longer be replayed or seeked",
        "⚠️ prod · COST · function enrichment · min instances 1 → 2: instances that are always on are billed around the clock",
        "prod · topic commerce-events · message retention 31 d → 14 d",
      ]),
    );
  });

  it("applies an added NULLABLE column in place (exit 0) in every environment", () => {
    edit("contracts/tables.ts", `    pipeline_version: nullable.string("Code version that wrote the row."),\n  },\n  partition: { field: "event_date"`, `    pipeline_version: nullable.string("Code version that wrote the row."),\n    note: nullable.string("Free text."),\n  },\n  partition: { field: "event_date"`);
    commit("curated: note column");
    const r = review();
    expect(r.code).toBe(0);
    for (const e of ["dev", "staging", "prod"]) expect(r.lines).toContain(`${e} · table curated.commerce_events · column note added (STRING NULLABLE)`);
    expect(r.out).toContain("No unacknowledged DATA LOSS or BREAKING hazards.");
  });

  it("fails a column type change and a dropped column that SQL reads (DATA LOSS, BREAKING) until migrations/ acknowledges them", () => {
    edit("contracts/tables.ts", `    quantity: required.int64("Units ordered."),`, `    quantity: required.string("Units ordered."),`);
    edit("contracts/tables.ts", `    status: required.string("Order status at export time.", { enum: ORDER_STATUSES }),\n`, "");
    commit("ledger: quantity as string, no status");
    const r = review();
    expect(r.code).toBe(1);
    const lines = [
      "prod · DATA LOSS · table ledger.orders · column quantity INTEGER → STRING: the provider replaces the table to change a column's type: its rows are lost",
      "prod · DATA LOSS · table ledger.orders · column status dropped (STRING REQUIRED): the provider replaces the table to drop a column: its rows are lost",
    ];
    expect(r.lines).toEqual(expect.arrayContaining(lines.map((l) => `⛔ ${l}`)));
    const breaking = r.lines.find((l) => l.startsWith("⛔ prod · BREAKING · table ledger.orders · column status dropped (STRING REQUIRED), still read by sql/"));
    expect(breaking).toMatch(/: the SQL fails with an unrecognized name once the column is gone$/);

    // Acknowledge every blocking hazard of prod, staging and dev, with reason and plan.
    const keys = r.lines.filter((l) => l.startsWith("⛔ prod · ")).map((l) => l.slice("⛔ prod · ".length).replace(/: [^:]*(: its rows are lost)?$/, ""));
    mkdirSync(join(repo, "migrations"), { recursive: true });
    writeFileSync(
      join(repo, "migrations", "2026-12-01-ledger-orders.json"),
      JSON.stringify({ hazards: keys, reason: "The ledger export now sends quantities as text and drops status.", plan: "re-export the ledger for the last 90 days after recreate" }, null, 2),
    );
    commit("acknowledge the ledger change");
    const acked = review("--base", "HEAD~2");
    expect(acked.code).toBe(0);
    expect(acked.lines).toContain(
      `✅ ${lines[0]} — acknowledged in \`migrations/2026-12-01-ledger-orders.json\`; plan: re-export the ledger for the last 90 days after recreate`,
    );
    expect(acked.out).toContain("No unacknowledged DATA LOSS or BREAKING hazards.");
  });

  it("says no changes for every environment on an unchanged tree", () => {
    const r = review("--base", "HEAD");
    expect(r.code).toBe(0);
    expect(r.lines).toEqual(expect.arrayContaining(["dev · no changes", "staging · no changes", "prod · no changes"]));
    expect(worktrees()).toHaveLength(1); // every temporary worktree removed
  });
});
