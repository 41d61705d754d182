import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { erf, erfc } from "../../src/special/erf.ts";
import { fDistributionSf, logGamma, regularizedBeta } from "../../src/special/f-distribution.ts";
import { faddeeva } from "../../src/special/faddeeva.ts";

const close = (actual: number, expected: number, relative: number) =>
  assert.ok(
    Math.abs(actual - expected) <= relative * Math.abs(expected) + 1e-300,
    `${actual} differs from ${expected} by more than ${relative} relative`,
  );

describe("erf and erfc", () => {
  test("match tabulated values to near double precision", () => {
    close(erf(0.1), 0.1124629160182849, 1e-14);
    close(erf(0.5), 0.5204998778130465, 1e-14);
    close(erf(1), 0.8427007929497149, 1e-14);
    close(erf(2), 0.9953222650189527, 1e-14);
    close(erfc(3), 2.209049699858544e-5, 1e-12);
    close(erfc(5), 1.5374597944280349e-12, 1e-12);
    close(erfc(10), 2.088487583762545e-45, 1e-12);
    assert.equal(erf(0), 0);
    assert.ok(Number.isNaN(erf(Number.NaN)));
  });

  test("is odd, bounded by 1 and increasing", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -8, max: 8, noNaN: true }),
        fc.double({ min: 1e-3, max: 1, noNaN: true }),
        (x, dx) => {
          assert.ok(erf(-x) === -erf(x));
          assert.ok(Math.abs(erf(x)) <= 1);
          assert.ok(erf(x + dx) >= erf(x));
          close(erf(x) + erfc(x), 1, 1e-14);
        },
      ),
    );
  });
});

describe("Faddeeva function", () => {
  test("on the imaginary axis equals exp(y^2) erfc(y)", () => {
    for (const y of [0.01, 0.5, 1, 2, 5, 20]) {
      const [re, im] = faddeeva(0, y);
      close(re, Math.exp(y * y) * erfc(y), 1e-12);
      assert.ok(Math.abs(im) < 1e-14);
    }
  });

  test("on the real axis has exp(-x^2) as real part and 2/sqrt(pi) Dawson(x) as imaginary part", () => {
    for (const x of [0.1, 0.5, 1, 3, 10]) close(faddeeva(x, 0)[0] + 1, Math.exp(-x * x) + 1, 1e-13);
    close(faddeeva(1, 0)[1], (2 / Math.sqrt(Math.PI)) * 0.5380795069127684, 1e-12);
  });
});

describe("F distribution", () => {
  test("log-gamma at known points", () => {
    close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-14);
    close(logGamma(5), Math.log(24), 1e-14);
    close(logGamma(30), Math.log(8.841761993739702e30), 1e-14);
  });

  test("incomplete beta identities", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.double({ min: 0.2, max: 30, noNaN: true }),
        fc.double({ min: 0.2, max: 30, noNaN: true }),
        (x, a, b) => {
          close(regularizedBeta(x, a, 1), x ** a, 1e-10);
          close(regularizedBeta(x, 1, b), 1 - (1 - x) ** b, 1e-10);
          close(regularizedBeta(x, a, b) + regularizedBeta(1 - x, b, a), 1, 1e-10);
        },
      ),
    );
  });

  test("survival function matches closed forms and tabulated critical values", () => {
    close(fDistributionSf(1, 1, 1), 0.5, 1e-12);
    for (const [f, d2] of [
      [3, 10],
      [0.5, 7],
      [20, 40],
    ] as const) {
      close(fDistributionSf(f, 2, d2), (1 + (2 * f) / d2) ** (-d2 / 2), 1e-10);
    }
    close(fDistributionSf(4.9646, 1, 10), 0.05, 1e-4);
    close(fDistributionSf(3.4928, 2, 20), 0.05, 1e-4);
    assert.equal(fDistributionSf(0, 3, 5), 1);
    assert.equal(fDistributionSf(Number.POSITIVE_INFINITY, 3, 5), 0);
  });
});
