import type { EnvConfig } from "../../config";
import type { WarehouseTargetOptions } from "../warehouse-target-options";
import type { Warehouse } from "../../functions/runtime/warehouse";
import { PubSubMessagePublisher, type MessagePublisher } from "./message-publisher";
import { progressBar } from "./cli-options";
import { loadReplaySql, type ReplaySql } from "./replay-sql";
import { openWarehouse } from "./warehouse-target";

export interface PublishingDeps {
  warehouse: Warehouse;
  sql: ReplaySql;
  publisher: MessagePublisher;
}

/**
 * What replay and redrive do around their own step: open the warehouse and a publisher to `topic`,
 * run the step with a progress bar (unless a dry run), print its summary lines, and close both
 * whatever happens. Resolves to the summary; its exit code is 2 when a message was not published.
 */
export async function runPublishing<S extends { failed: readonly unknown[] }>(
  o: WarehouseTargetOptions & { dryRun?: boolean },
  config: EnvConfig,
  topic: string,
  barFormat: string,
  step: (deps: PublishingDeps, onProgress: (done: number, total: number) => void) => Promise<S>,
  describe: (summary: S) => string[],
): Promise<S> {
  const { warehouse, close } = await openWarehouse(o, config);
  const publisher = new PubSubMessagePublisher({ projectId: o.project ?? config.project, topic });
  const bar = progressBar(barFormat, !o.dryRun);
  try {
    const summary = await step({ warehouse, sql: loadReplaySql(), publisher }, bar.onProgress);
    bar.stop();
    process.stdout.write(describe(summary).join("\n") + "\n");
    return summary;
  } finally {
    bar.stop();
    await publisher.close();
    await close();
  }
}

/** 0, or 2 when some message was not published (1 is a thrown error, see runMain). */
export function publishingExitCode(summary: { failed: readonly unknown[] }): number {
  return summary.failed.length === 0 ? 0 : 2;
}
