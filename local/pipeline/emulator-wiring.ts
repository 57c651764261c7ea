import type { PubSub } from "@google-cloud/pubsub";
import type { Warehouse } from "../../functions/runtime/warehouse";
import { BigQuerySubscriptionBridge } from "../bridges/bigquery-subscription-bridge";
import type { BridgedSubscription } from "../emulator/provision-emulator";
import { block, referencedName, resourcesOfType, type TerraformJson } from "../../stacks/terraform-json";

/** Each push subscription of the stack, aimed at the local URL of the function its endpoint references. */
export function pushEndpointsToHostedFunctions(tf: TerraformJson, functions: { urlOf(name: string): string }): Record<string, string> {
  return Object.fromEntries(
    resourcesOfType(tf, "google_pubsub_subscription")
      .filter(([, s]) => block(s.push_config))
      .map(([, s]) => [String(s.name), functions.urlOf(referencedName(tf, String(block(s.push_config)!.push_endpoint)))]),
  );
}

export interface BridgeTarget {
  pubsub: PubSub;
  projectId: string;
  warehouse: Warehouse;
  log: (line: string) => void;
}

/**
 * Starts a bridge per BigQuery subscription the emulator holds as a pull subscription. Each is added
 * to `started` as soon as it runs, so the caller stops every bridge that started even if a later one
 * fails (a table no bridge writes).
 */
export function startBridges(bridged: readonly BridgedSubscription[], target: BridgeTarget, started: BigQuerySubscriptionBridge[]): void {
  for (const b of bridged) {
    const bridge = new BigQuerySubscriptionBridge({
      pubsub: target.pubsub,
      projectId: target.projectId,
      subscription: b.subscription,
      table: b.table,
      warehouse: target.warehouse,
      onError: (e) => target.log(`bridge ${b.subscription}: ${(e as Error).message}`),
    });
    bridge.start();
    started.push(bridge);
  }
}
