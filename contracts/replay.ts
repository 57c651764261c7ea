/**
 * The replay path, named once for the stack, the enrichment function and the operator commands
 * (`npm run replay`, `npm run redrive`): its topic, its push subscription to the enrichment
 * function, and the attributes a replayed message carries on top of the original ones.
 */
export const REPLAY_TOPIC = "commerce-events-replay";
export const REPLAY_SUBSCRIPTION = "enrichment-replay";
export const REPLAY_DLQ_TOPIC = "commerce-events-replay-dlq";

export const REPLAY_ATTRIBUTES = {
  /** Pub/Sub message id of the original message (raw mirror) or of the dead letter (redrive). */
  replayOf: "replay_of",
  /** Id of the replay or redrive run that re-published it. */
  replayRun: "replay_run",
} as const;

/** True when a message came through the replay path (its curated row is marked source = "replay"). */
export function isReplayed(attributes: Readonly<Record<string, string>>): boolean {
  return typeof attributes[REPLAY_ATTRIBUTES.replayRun] === "string" && attributes[REPLAY_ATTRIBUTES.replayRun] !== "";
}
