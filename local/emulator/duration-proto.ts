import { DURATION_PATTERN, durationSeconds } from "../../config/duration";

/** "600s" / "3.5s" (Google API duration, as synthesized) -> { seconds, nanos }, as the Pub/Sub client takes it. */
export function duration(value: unknown): { seconds: number; nanos: number } | undefined {
  if (typeof value !== "string" || !DURATION_PATTERN.test(value)) return undefined;
  const total = durationSeconds(value);
  const seconds = Math.floor(total);
  return { seconds, nanos: Math.round((total - seconds) * 1e9) };
}
