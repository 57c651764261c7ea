import { block } from "../../stacks/terraform-json";
import { duration } from "./duration-proto";

/**
 * How the local run provisions redelivery for a push subscription. The emulator strands messages on
 * a push subscription that has a retry policy (neither redelivered nor dead-lettered; pinned by
 * test/emulator/capabilities.test.ts), so locally the policy is left off: the emulator then redelivers
 * about once a second. So that a transient outage dead-letters locally no sooner than deployed, max
 * delivery attempts grow until their ~1 s retries span the deployed retry window (Pub/Sub caps them at 100).
 */
export interface DeployedRedelivery {
  maxDeliveryAttempts: number;
  minimumBackoffSeconds: number;
  maximumBackoffSeconds: number;
}

export interface LocalPushRedelivery {
  /** Max delivery attempts to provision locally. */
  maxDeliveryAttempts: number;
  /** Seconds the deployed attempts wait in backoff in total, before the message is dead-lettered. */
  deployedWindowSeconds: number;
  /** Seconds the local attempts span (the emulator's ~1 s between redeliveries). */
  localWindowSeconds: number;
}

/** Pub/Sub's upper bound for maxDeliveryAttempts. */
export const MAX_DELIVERY_ATTEMPTS = 100;
/** Seconds between the emulator's redeliveries on a push subscription without a retry policy (measured). */
export const EMULATOR_REDELIVERY_SECONDS = 1;

/** Sum of the exponential backoffs between the deployed attempts (doubling from the minimum, capped at the maximum). */
export function deployedRetryWindowSeconds(d: DeployedRedelivery): number {
  let total = 0;
  for (let retry = 0; retry < d.maxDeliveryAttempts - 1; retry++) total += Math.min(d.maximumBackoffSeconds, d.minimumBackoffSeconds * 2 ** retry);
  return total;
}

export function localPushRedelivery(d: DeployedRedelivery): LocalPushRedelivery {
  const deployedWindowSeconds = deployedRetryWindowSeconds(d);
  const needed = 1 + Math.ceil(deployedWindowSeconds / EMULATOR_REDELIVERY_SECONDS);
  const maxDeliveryAttempts = Math.min(MAX_DELIVERY_ATTEMPTS, Math.max(d.maxDeliveryAttempts, needed));
  return { maxDeliveryAttempts, deployedWindowSeconds, localWindowSeconds: (maxDeliveryAttempts - 1) * EMULATOR_REDELIVERY_SECONDS };
}

/** The deployed redelivery of a google_pubsub_subscription resource, or undefined when it has no retry policy. */
export function deployedRedeliveryOf(subscription: Record<string, unknown>): DeployedRedelivery | undefined {
  const retry = block(subscription.retry_policy);
  if (!retry) return undefined;
  const seconds = (v: unknown, fallback: number) => {
    const d = duration(v);
    return d ? d.seconds + d.nanos / 1e9 : fallback;
  };
  return {
    maxDeliveryAttempts: Number(block(subscription.dead_letter_policy)?.max_delivery_attempts ?? 5),
    // Pub/Sub's defaults when the policy leaves a bound out.
    minimumBackoffSeconds: seconds(retry.minimum_backoff, 10),
    maximumBackoffSeconds: seconds(retry.maximum_backoff, 600),
  };
}
