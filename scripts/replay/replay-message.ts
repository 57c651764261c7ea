import { REPLAY_ATTRIBUTES } from "../../contracts/replay";
import { DEAD_LETTER_ATTRIBUTES, PUBSUB_FORWARD_ATTRIBUTE_PREFIX } from "../../contracts/dead-letters";

/** A message as the raw mirror (or ops.dead_letters) holds it: BYTES come back base64 or as a Buffer. */
export interface StoredMessage {
  message_id: string;
  data: string | Buffer | null;
  /** Attributes as a JSON object string (write_metadata), or null. */
  attributes: string | null;
}

export interface OutgoingMessage {
  data: Buffer;
  attributes: Record<string, string>;
}

/**
 * The message to re-publish: the original bytes and attributes, plus which message it replays and
 * which run replays it. A stored message that is already a replay keeps pointing at its first original.
 */
export function replayMessage(m: StoredMessage, runId: string): OutgoingMessage {
  const data = m.data === null ? Buffer.alloc(0) : Buffer.isBuffer(m.data) ? m.data : Buffer.from(m.data, "base64");
  const original = parseAttributes(m.attributes, m.message_id);
  return {
    data,
    attributes: {
      ...original,
      [REPLAY_ATTRIBUTES.replayOf]: original[REPLAY_ATTRIBUTES.replayOf] ?? m.message_id,
      [REPLAY_ATTRIBUTES.replayRun]: runId,
    },
  };
}

function parseAttributes(json: string | null, messageId: string): Record<string, string> {
  if (json === null || json === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw new Error(`message ${messageId}: attributes are not JSON (${(e as Error).message})`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error(`message ${messageId}: attributes are not a JSON object`);
  return Object.fromEntries(Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

// What the dead-letter path added to a message: our poison verdict's attributes and Pub/Sub's forward's.
const DEAD_LETTER_ADDED = new Set<string>(Object.values(DEAD_LETTER_ATTRIBUTES));
const isForwardAttribute = (name: string) => name.startsWith(PUBSUB_FORWARD_ATTRIBUTE_PREFIX);

/**
 * The message to redrive: the dead letter's original bytes and the publisher's attributes (without
 * what the dead-letter path added), pointing at the original message when the verdict named it.
 */
export function redriveMessage(letter: StoredMessage, runId: string): OutgoingMessage {
  const replayed = replayMessage(letter, runId);
  const original = Object.fromEntries(Object.entries(replayed.attributes).filter(([k]) => !DEAD_LETTER_ADDED.has(k) && !isForwardAttribute(k)));
  return {
    data: replayed.data,
    attributes: {
      ...original,
      [REPLAY_ATTRIBUTES.replayOf]: replayed.attributes[DEAD_LETTER_ATTRIBUTES.sourceMessageId] ?? letter.message_id,
      [REPLAY_ATTRIBUTES.replayRun]: runId,
    },
  };
}
