import fc from "fast-check";
import { fitsNumeric, formatNumeric, multiplyNumeric, numericFromInteger, parseNumeric } from "../../contracts/numeric";

const n = (s: string) => parseNumeric(s)!;

describe("NUMERIC fixed point", () => {
  it("multiplies exactly where binary floats drift", () => {
    expect(0.1 * 3).not.toBe(0.3);
    expect(formatNumeric(multiplyNumeric(n("0.1"), numericFromInteger(3)))).toBe("0.3");
    expect(formatNumeric(multiplyNumeric(n("19.99"), n("1.08")))).toBe("21.5892");
  });

  it("rounds to 9 decimals half away from zero, like BigQuery", () => {
    expect(formatNumeric(multiplyNumeric(n("0.000000001"), n("0.5")))).toBe("0.000000001");
    expect(formatNumeric(multiplyNumeric(n("-0.000000001"), n("0.5")))).toBe("-0.000000001");
    expect(formatNumeric(multiplyNumeric(n("0.000000001"), n("0.4")))).toBe("0");
  });

  it("rejects what is not a NUMERIC literal and detects overflow", () => {
    expect(parseNumeric("1e5")).toBeNull();
    expect(parseNumeric("1.0000000001")).toBeNull();
    expect(fitsNumeric(n("99999999999999999999999999999.999999999"))).toBe(true);
    expect(fitsNumeric(multiplyNumeric(n("99999999999999999999999999999"), n("10")))).toBe(false);
  });

  it("round-trips canonical decimals and agrees with integer arithmetic", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 9 }), (units, scale) => {
        const s = formatNumeric(units * 10n ** BigInt(9 - scale));
        expect(formatNumeric(n(s))).toBe(s);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: -1e6, max: 1e6 }), (a, b) => {
        expect(formatNumeric(multiplyNumeric(numericFromInteger(a), numericFromInteger(b)))).toBe(String(BigInt(a) * BigInt(b)));
      }),
    );
  });
});
