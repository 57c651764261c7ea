import fc from "fast-check";
import { formatNumeric, NUMERIC_INTEGER_DIGITS, NUMERIC_SCALE } from "../../../contracts/numeric";
import { decodeNumeric, encodeNumeric, numericToScaled } from "../../../local/zetasql/numeric";

describe("ZetaSQL NUMERIC wire bytes over the contract's decimal", () => {
  it("uses the shortest little-endian two's complement of the 1e-9 units", () => {
    expect([...encodeNumeric("0")]).toEqual([0x00]);
    expect([...encodeNumeric("-0.000000001")]).toEqual([0xff]);
    expect([...encodeNumeric("0.000000128")]).toEqual([0x80, 0x00]);
    expect([...encodeNumeric("+1")]).toEqual([0x00, 0xca, 0x9a, 0x3b]); // 1e9 = 0x3b9aca00
    expect(encodeNumeric(0.1)).toEqual(encodeNumeric("0.1"));
  });

  it("round-trips every value NUMERIC holds, to the contract's canonical text", () => {
    const max = 10n ** BigInt(NUMERIC_INTEGER_DIGITS + NUMERIC_SCALE) - 1n;
    fc.assert(
      fc.property(fc.bigInt({ min: -max, max }), (units) => {
        const text = formatNumeric(units);
        expect(numericToScaled(encodeNumeric(text))).toBe(units);
        expect(decodeNumeric(encodeNumeric(text))).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses what is not a NUMERIC decimal, naming it", () => {
    for (const bad of ["1.0000000001", "1e3", "", "12,5"]) expect(() => encodeNumeric(bad)).toThrow(`not a NUMERIC decimal (at most 9 fractional digits): ${JSON.stringify(bad)}`);
    expect(() => encodeNumeric(Number.NaN)).toThrow("not a NUMERIC: NaN");
  });
});
