import { DEAD_LETTER_ATTRIBUTES } from "../../contracts/dead-letters";
import type { Poison } from "./decode";

/** The publisher's attributes plus why and where the message was dead-lettered (names: contracts/dead-letters.ts). */
export function deadLetterAttributes(
  original: Record<string, string>,
  verdict: Poison,
  source: { messageId: string; subscription: string },
  pipelineVersion: string,
  nowMs: number,
): Record<string, string> {
  const A = DEAD_LETTER_ATTRIBUTES;
  return {
    ...original,
    [A.reason]: verdict.reason,
    [A.errorDetail]: verdict.detail,
    [A.sourceMessageId]: source.messageId,
    [A.sourceSubscription]: source.subscription,
    [A.stage]: verdict.stage,
    [A.errorClass]: "poison",
    [A.pipelineVersion]: pipelineVersion,
    [A.deadLetteredAt]: new Date(nowMs).toISOString(),
  };
}
