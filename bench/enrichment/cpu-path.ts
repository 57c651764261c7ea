import { processMessage } from "../../functions/enrichment/core";
import { REFERENCE, orderPlaced, wireBytes } from "../../fixtures/commerce-events";

export interface CpuPathRate {
  /** Events per CPU-second of this process (user + system, process.cpuUsage): what one dedicated core does. */
  perCpuSecond: number;
  /** Events per wall-clock second: the same, minus whatever else the machine ran meanwhile. */
  perWallSecond: number;
}

/** Decode + validate + enrich + row build on this thread, over ~durationMs of wall time. */
export function measureCpuPath(durationMs = 3000): CpuPathRate {
  const stores = ["S-LA", "S-AMS", "S-TYO"];
  const base = Date.parse("2026-03-01T00:00:00Z");
  const pool = Array.from({ length: 10_000 }, (_, i) =>
    wireBytes(orderPlaced({ event_id: `cpu-${i}`, store_id: stores[i % 3], occurred_at: new Date(base + i * 7_919).toISOString(), quantity: 1 + (i % 5) })),
  );
  const opts = { lateThresholdSeconds: 3600, pipelineVersion: "bench" };
  for (let i = 0; i < 20_000; i++) processMessage(pool[i % pool.length], REFERENCE, base, opts); // warm-up
  let n = 0;
  let ok = 0;
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(durationMs) * 1_000_000n;
  while (process.hrtime.bigint() < deadline) {
    for (let i = 0; i < 1000; i++, n++) if (processMessage(pool[n % pool.length], REFERENCE, base + n, opts).kind === "ok") ok++;
  }
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  if (ok !== n) throw new Error(`cpu path: ${n - ok} of ${n} events were not ok`);
  return { perCpuSecond: n / ((cpu.user + cpu.system) / 1e6), perWallSecond: n / wallSeconds };
}
