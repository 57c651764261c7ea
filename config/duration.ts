/** Google API durations ("600s", "3.5s"): the form Pub/Sub, Scheduler and Functions take. */
export const DURATION_PATTERN = /^\d+(\.\d{1,9})?s$/;

export function durationSeconds(d: string): number {
  if (!DURATION_PATTERN.test(d)) throw new Error(`not a duration like "600s": ${JSON.stringify(d)}`);
  return Number(d.slice(0, -1));
}

export const MINUTE = 60;
export const HOUR = 3600;
export const DAY = 86400;
