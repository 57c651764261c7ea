// BigQuery NUMERIC: 38 digits of precision, 9 of them after the point. Values are kept as bigint
// counts of 1e-9 units so money is never rounded through a binary float. The one NUMERIC module: the
// contract's validator pattern, the functions' arithmetic and the local ZetaSQL encoding use it.

/** Digits after the decimal point. */
export const NUMERIC_SCALE = 9;
/** Digits before the decimal point (38 of precision minus the scale). */
export const NUMERIC_INTEGER_DIGITS = 29;
/** 1 as a count of 1e-9 units. */
export const NUMERIC_ONE = 10n ** BigInt(NUMERIC_SCALE);
const SCALE = NUMERIC_SCALE;
const ONE = NUMERIC_ONE;
/** Largest magnitude NUMERIC holds, in 1e-9 units. */
const MAX_UNITS = 10n ** BigInt(NUMERIC_INTEGER_DIGITS + NUMERIC_SCALE) - 1n;
const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** A NUMERIC value as a count of 1e-9 units. */
export type Numeric = bigint;

/** Parses a decimal string ("12.5", "-0.000000001"); null if it is not one or has more than 9 decimals. */
export function parseNumeric(s: string): Numeric | null {
  const m = DECIMAL.exec(s);
  if (!m) return null;
  const frac = m[3] ?? "";
  if (frac.length > SCALE) return null;
  // One BigInt parse of the digits, point removed: the count of 1e-9 units.
  const units = BigInt(m[2] + frac.padEnd(SCALE, "0"));
  return m[1] ? -units : units;
}

/** Integer -> NUMERIC. */
export function numericFromInteger(n: number | bigint): Numeric {
  return BigInt(n) * ONE;
}

/** n * k for a whole number k: exact, no rounding step (quantity * unit_price). */
export function multiplyNumericByInteger(n: Numeric, k: number | bigint): Numeric {
  return n * BigInt(k);
}

/** a * b rounded to 9 decimals, half away from zero (BigQuery's rounding). */
export function multiplyNumeric(a: Numeric, b: Numeric): Numeric {
  const p = a * b;
  const neg = p < 0n;
  const abs = neg ? -p : p;
  let q = abs / ONE;
  if ((abs % ONE) * 2n >= ONE) q += 1n;
  return neg ? -q : q;
}

/** True when the value fits BigQuery NUMERIC (at most 29 integer digits). */
export function fitsNumeric(v: Numeric): boolean {
  return v <= MAX_UNITS && v >= -MAX_UNITS;
}

/** Canonical decimal string without trailing zeros ("12.5", "-3", "0.000000001"). */
export function formatNumeric(v: Numeric): string {
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const int = (abs / ONE).toString();
  const frac = (abs % ONE).toString().padStart(SCALE, "0").replace(/0+$/, "");
  return (neg ? "-" : "") + int + (frac ? "." + frac : "");
}

/** A float (a config tolerance, a test literal) as a NUMERIC decimal string, rounded to 9 decimals. */
export function numericTextOfNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a NUMERIC: ${n}`);
  return n.toFixed(SCALE);
}
