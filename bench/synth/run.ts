import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// `npm run bench:synth`: wall time and peak RSS of synthesizing all three environments, the app as it
// ships (deep imports) against the same app behind the provider's barrel import. Both are compiled by
// esbuild the same way (node_modules left external, so Node loads the provider exactly as in
// production) and run as fresh `node` processes; each is run RUNS times, alternating, medians reported.
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ENVS = 3;
const root = process.cwd();

interface Sample {
  wallMs: number;
  rssMb: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function compile(entry: string, outDir: string): Promise<string> {
  const outfile = join(outDir, entry.replace(/\.ts$/, ".js"));
  await build({
    entryPoints: [join(root, "bench", "synth", entry)],
    outfile,
    bundle: true,
    packages: "external",
    platform: "node",
    target: "node20",
    format: "cjs",
    logLevel: "warning",
  });
  return outfile;
}

function runOnce(script: string, outDir: string): Sample {
  rmSync(outDir, { recursive: true, force: true });
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [script], { cwd: root, env: { ...process.env, CDKTF_OUTDIR: outDir }, encoding: "utf8" });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0) throw new Error(`${script} exited ${child.status}:\n${child.stderr}`);
  const kb = /peak_rss_kb=(\d+)/.exec(child.stdout)?.[1];
  if (!kb) throw new Error(`${script} did not report its peak RSS`);
  if (!existsSync(join(outDir, "stacks", "streamline-prod", "cdk.tf.json"))) throw new Error(`${script} wrote no prod stack`);
  return { wallMs, rssMb: Number(kb) / 1024 };
}

async function main(): Promise<void> {
  if (!["enrichment", "reconciliation"].every((fn) => existsSync(join(root, "dist", "functions", `${fn}.zip`)))) {
    const built = spawnSync("npm", ["run", "-s", "build:functions"], { cwd: root, stdio: "inherit" });
    if (built.status !== 0) throw new Error("npm run build:functions failed");
  }
  // Compiled scripts live inside the repository so Node resolves node_modules from them; outputs go to tmp.
  const compiled = join(root, "dist", "bench-synth");
  const work = mkdtempSync(join(tmpdir(), "streamline-bench-synth-"));
  try {
    const deep = await compile("deep-app.ts", compiled);
    const barrel = await compile("barrel-app.ts", compiled);
    const samples: Record<"deep" | "barrel", Sample[]> = { deep: [], barrel: [] };
    runOnce(deep, join(work, "warmup")); // fills the OS file cache for both variants' shared modules
    for (let i = 0; i < RUNS; i++) {
      for (const [name, script] of [["deep", deep], ["barrel", barrel]] as const) {
        const s = runOnce(script, join(work, `out-${name}`));
        samples[name].push(s);
        console.log(`run ${i + 1}/${RUNS} ${name}: wall_ms=${s.wallMs.toFixed(0)} rss_mb=${s.rssMb.toFixed(0)}`);
      }
    }
    const wall = median(samples.deep.map((s) => s.wallMs));
    const rss = median(samples.deep.map((s) => s.rssMb));
    const barrelWall = median(samples.barrel.map((s) => s.wallMs));
    const barrelRss = median(samples.barrel.map((s) => s.rssMb));
    console.log(
      `synth: envs=${ENVS} wall_ms=${Math.round(wall)} rss_mb=${Math.round(rss)} barrel_wall_ms=${Math.round(barrelWall)} barrel_rss_mb=${Math.round(barrelRss)} speedup=${(barrelWall / wall).toFixed(2)}x`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(compiled, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
