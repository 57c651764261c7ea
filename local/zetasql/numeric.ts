/**
 * ZetaSQL's wire form of NUMERIC: the value scaled by 1e9 as a 128-bit two's-complement integer,
 * serialized little-endian with as few bytes as keep the sign (zero is one 0x00 byte).
 */
const SCALE = 1_000_000_000n;
const NUMERIC_TEXT = /^([+-])?(\d+)(?:\.(\d{1,9}))?$/;

/** Decimal string ("-12.5") -> ZetaSQL NUMERIC bytes. Throws on more than 9 fractional digits. */
export function encodeNumeric(decimal: string | number): Buffer {
  const text = typeof decimal === "number" ? numberToDecimal(decimal) : decimal.trim();
  const m = NUMERIC_TEXT.exec(text);
  if (!m) throw new Error(`not a NUMERIC decimal (at most 9 fractional digits): ${JSON.stringify(decimal)}`);
  const [, sign, whole, frac = ""] = m;
  let scaled = BigInt(whole) * SCALE + BigInt(frac.padEnd(9, "0"));
  if (sign === "-") scaled = -scaled;
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
  if (bytes.length === 0) return "0";
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  if (bytes[bytes.length - 1] & 0x80) v -= 1n << BigInt(8 * bytes.length);
  const negative = v < 0n;
  const abs = negative ? -v : v;
  const whole = abs / SCALE;
  const frac = (abs % SCALE).toString().padStart(9, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
}

function numberToDecimal(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a NUMERIC: ${n}`);
  // toFixed(9) rounds to NUMERIC's scale; trailing zeros are harmless to the parser.
  return n.toFixed(9);
}

/** ZetaSQL NUMERIC bytes -> the value scaled by 1e9 as a bigint (exact, for comparisons). */
export function numericToScaled(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  if (bytes.length > 0 && bytes[bytes.length - 1] & 0x80) v -= 1n << BigInt(8 * bytes.length);
  return v;
}
