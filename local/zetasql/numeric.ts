import { formatNumeric, numericTextOfNumber, parseNumeric } from "../../contracts/numeric";

/**
 * ZetaSQL's wire form of NUMERIC: the value scaled by 1e9 (contracts/numeric.ts's units) as a 128-bit
 * two's-complement integer, serialized little-endian with as few bytes as keep the sign (zero is one
 * 0x00 byte). Parsing and printing the decimal are the contract's; only the byte layout is here.
 */

/** Decimal string ("-12.5", "+3") or number -> ZetaSQL NUMERIC bytes. Throws on more than 9 fractional digits. */
export function encodeNumeric(decimal: string | number): Buffer {
  const text = typeof decimal === "number" ? numericTextOfNumber(decimal) : decimal.trim().replace(/^\+/, "");
  let scaled = parseNumeric(text);
  if (scaled === null) throw new Error(`not a NUMERIC decimal (at most 9 fractional digits): ${JSON.stringify(decimal)}`);
  const bytes: number[] = [];
  for (;;) {
    const byte = Number(scaled & 0xffn);
    bytes.push(byte);
    scaled >>= 8n; // arithmetic shift: stays -1 for negatives
    const signBitSet = (byte & 0x80) !== 0;
    if ((scaled === 0n && !signBitSet) || (scaled === -1n && signBitSet)) break;
  }
  return Buffer.from(bytes);
}

/** ZetaSQL NUMERIC bytes -> decimal string without trailing fractional zeros ("1.5", "-1", "0"). */
export function decodeNumeric(bytes: Uint8Array): string {
  return formatNumeric(numericToScaled(bytes));
}

/** ZetaSQL NUMERIC bytes -> the value scaled by 1e9 as a bigint (exact, for comparisons). */
export function numericToScaled(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  if (bytes.length > 0 && bytes[bytes.length - 1] & 0x80) v -= 1n << BigInt(8 * bytes.length);
  return v;
}
