import type { Poison } from "./decode";

/** Attribute names our poison dead letters carry; `ops.dead_letters` columns are derived from them. */
export const DEAD_LETTER_ATTRIBUTES = {
  reason: "reason",
  errorDetail: "error_detail",
  sourceMessageId: "source_message_id",
  sourceSubscription: "source_subscription",
  stage: "stage",
  errorClass: "error_class",
  pipelineVersion: "pipeline_version",
  deadLetteredAt: "dead_lettered_at",
} as const;

/** The publisher's attributes plus why and where the message was dead-lettered. */
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
