import { synthMain } from "../../stacks/app";

/**
 * The measured child: synthesizes all environments exactly as `npm run synth` does (into
 * $CDKTF_OUTDIR) and reports its own peak RSS on exit, so the parent's number is the child's alone.
 */
export function synthAndReport(): void {
  process.on("exit", () => {
    process.stdout.write(`peak_rss_kb=${process.resourceUsage().maxRSS}\n`);
  });
  process.exitCode = synthMain({ projectRoot: process.cwd() });
}
