import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  centerText,
  formatFixed,
  pythonFloatRepr,
  pythonStr,
} from "../../src/format/python-format.ts";

describe("Python number formats", () => {
  test('"%.nf" as Python prints it', () => {
    const cases: [number, number, string][] = [
      [0.125, 2, "0.12"], // exact tie: half to even
      [0.375, 2, "0.38"],
      [-0.125, 2, "-0.12"],
      [2.5, 0, "2"],
      [3.5, 0, "4"],
      [1.005, 2, "1.00"], // 1.005 is 1.00499999999999989... in binary
      [-0, 3, "-0.000"],
      [-0.0004, 3, "-0.000"],
      [1e22, 3, "10000000000000000000000.000"],
      [Number.NaN, 3, "nan"],
      [Number.NEGATIVE_INFINITY, 3, "-inf"],
      [123.456, 3, "123.456"],
    ];
    for (const [x, p, expected] of cases)
      assert.equal(formatFixed(x, p), expected, `${x} with ${p}`);
  });

  test("agrees with toFixed wherever there is no exact tie", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e15, max: 1e15, noNaN: true }),
        fc.integer({ min: 0, max: 8 }),
        (x, p) => {
          const scaled = Math.abs(x) * 10 ** p;
          fc.pre(Math.abs(scaled - Math.floor(scaled) - 0.5) > 1e-3 && !Object.is(x, -0));
          assert.equal(formatFixed(x, p), x.toFixed(p));
        },
      ),
    );
  });

  test("repr of floats as Python shows them", () => {
    const cases: [number, string][] = [
      [1, "1.0"],
      [0.1, "0.1"],
      [1e16, "1e+16"],
      [1e15, "1000000000000000.0"],
      [1e-5, "1e-05"],
      [0.0001, "0.0001"],
      [-2.5e-7, "-2.5e-07"],
      [123456789012345680, "1.2345678901234568e+17"],
    ];
    for (const [x, expected] of cases) assert.equal(pythonFloatRepr(x), expected);
    assert.equal(pythonStr(true), "True");
    assert.equal(pythonStr(null), "None");
    assert.equal(pythonStr(5, true), "5");
    assert.equal(pythonStr([1, "a"]), "[1.0, 'a']");
    assert.equal(centerText(" x ", 7, "*"), "** x **");
    assert.equal(centerText("ab", 5, "*"), "*ab**");
  });
});
