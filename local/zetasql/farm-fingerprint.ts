import { fingerprint64 } from "farmhash-modern";

/**
 * BigQuery's / ZetaSQL's FARM_FINGERPRINT: FarmHash Fingerprint64 of the UTF-8 bytes (a STRING) or
 * the bytes (BYTES), read as a signed INT64; undefined where farmhash-modern is known to differ
 * from ZetaSQL. Both facts are proven against ZetaSQL in test/local/zetasql/farm-fingerprint.test.ts:
 * farmhash-modern 1.1.0 returns a different value for inputs whose length is a multiple of 64 bytes
 * from 128 on (its long-input loop mishandles an input ending exactly on a 64-byte block).
 */
export function farmFingerprint(value: string | Uint8Array): bigint | undefined {
  const bytes = typeof value === "string" ? Buffer.from(value, "utf8") : value;
  if (bytes.length >= 128 && bytes.length % 64 === 0) return undefined;
  return BigInt.asIntN(64, fingerprint64(bytes));
}

/** A stable 64-bit hash for spreading rows into buckets (any hash will do there; no SQL meaning). */
export function bucketHash(text: string): bigint {
  return fingerprint64(text);
}
