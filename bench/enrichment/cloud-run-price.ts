/**
 * Cloud Run functions (gen2 runs on Cloud Run) list prices, request-based billing ("CPU only allocated
 * during request processing"), Tier 1 regions (europe-west1 is Tier 1), USD, before the free tier.
 * Source: https://cloud.google.com/run/pricing, as published and read on 2026-12-01.
 */
export const CLOUD_RUN_PRICE = {
  asOf: "2026-12-01",
  usdPerVcpuSecond: 0.000024,
  usdPerGibSecond: 0.0000025,
  usdPerMillionRequests: 0.4,
} as const;

/** "512Mi" / "1Gi" -> GiB. */
export function gib(memory: string): number {
  const m = /^(\d+)(Mi|Gi)$/.exec(memory);
  if (!m) throw new Error(`memory must look like "512Mi" or "1Gi", got ${memory}`);
  return Number(m[1]) / (m[2] === "Gi" ? 1 : 1024);
}

/**
 * USD per million events for vCPU-seconds and GiB-seconds, when an instance of `vcpus` and `memoryGib`
 * is billed exactly for the CPU time it spends (`cpuUsPerEvent`): a fully busy instance, the lower bound
 * of request-based billing. The per-request fee is reported apart.
 */
export function usdPerMillionEvents(cpuUsPerEvent: number, vcpus: number, memoryGib: number): { vcpuSeconds: number; gibSeconds: number; usd: number } {
  // µs per event x 1e6 events / 1e6 µs per s: CPU-seconds per million events, spread over the instance's vCPUs.
  const instanceSeconds = cpuUsPerEvent / vcpus;
  const vcpuSeconds = instanceSeconds * vcpus;
  const gibSeconds = instanceSeconds * memoryGib;
  return { vcpuSeconds, gibSeconds, usd: vcpuSeconds * CLOUD_RUN_PRICE.usdPerVcpuSecond + gibSeconds * CLOUD_RUN_PRICE.usdPerGibSecond };
}
