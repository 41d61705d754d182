import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  AnalysisInputError,
  expectedImprovement,
  fitGaussianProcess,
  normalCdf,
} from "../../src/index.ts";

const BOUNDS: [number, number][] = [
  [-3, 3],
  [-3, 3],
];
const bump = ([x = 0, y = 0]: readonly number[]) => Math.exp(-((x - 0.5) ** 2 + (y + 1) ** 2) / 2);

const pointArb = fc.tuple(
  fc.double({ min: -3, max: 3, noNaN: true }),
  fc.double({ min: -3, max: 3, noNaN: true }),
);

describe("Gaussian process", () => {
  test("interpolates its training points when the noise is tiny", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(pointArb, {
          minLength: 2,
          maxLength: 12,
          selector: ([x, y]) => `${Math.round(x * 4)},${Math.round(y * 4)}`,
        }),
        (points) => {
          const ys = points.map(bump);
          const gp = fitGaussianProcess(points, ys, { bounds: BOUNDS, noiseVariances: [1e-8] });
          points.forEach((p, i) => {
            assert.ok(Math.abs(gp.predict(p).mean - (ys[i] as number)) < 1e-3, `point ${i}`);
          });
        },
      ),
      { numRuns: 40, seed: 42 },
    );
  });

  test("variance is smaller at the data than far from it", () => {
    const xs = [
      [-2, -2],
      [-1, 0],
      [0, 1],
      [1, -1],
    ];
    const gp = fitGaussianProcess(xs, xs.map(bump), { bounds: BOUNDS });
    const far = gp.predict([3, 3]).variance;
    for (const x of xs) assert.ok(gp.predict(x).variance < far / 10, JSON.stringify(x));
    assert.ok(far > 0);
  });

  test("predicts a smooth function between samples on a grid", () => {
    const xs: number[][] = [];
    for (let i = -3; i <= 3; i += 1) for (let j = -3; j <= 3; j += 1) xs.push([i, j]);
    const gp = fitGaussianProcess(xs, xs.map(bump), { bounds: BOUNDS });
    for (const p of [
      [0.5, -1],
      [-0.3, 0.4],
      [1.7, -2.2],
    ]) {
      assert.ok(Math.abs(gp.predict(p).mean - bump(p)) < 0.05, JSON.stringify(p));
    }
    assert.ok(Number.isFinite(gp.logMarginalLikelihood));
  });

  test("bad input names what is wrong", () => {
    assert.throws(() => fitGaussianProcess([], [], { bounds: BOUNDS }), AnalysisInputError);
    assert.throws(
      () => fitGaussianProcess([[0]], [1], { bounds: BOUNDS }),
      /point 0 is \[0\]; expected 2 finite coordinates/,
    );
    assert.throws(
      () => fitGaussianProcess([[0, 0]], [Number.NaN], { bounds: BOUNDS }),
      /value 0 is NaN/,
    );
    assert.throws(
      () =>
        fitGaussianProcess([[0, 0]], [1], {
          bounds: [
            [1, 1],
            [0, 1],
          ],
        }),
      /low < high/,
    );
  });
});

describe("expected improvement", () => {
  test("is never negative", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        (mean, variance, best) => {
          assert.ok(expectedImprovement({ mean, variance }, best) >= 0);
        },
      ),
      { seed: 7 },
    );
  });

  test("grows with the mean and with the uncertainty", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.double({ min: 0.01, max: 5, noNaN: true }),
        (mean, variance) => {
          const ei = expectedImprovement({ mean, variance }, 0);
          assert.ok(expectedImprovement({ mean: mean + 0.5, variance }, 0) >= ei);
          assert.ok(expectedImprovement({ mean, variance: variance * 2 }, 0) >= ei);
        },
      ),
      { seed: 11 },
    );
  });

  test("without uncertainty it is the plain improvement", () => {
    assert.equal(expectedImprovement({ mean: 2, variance: 0 }, 1.5), 0.5);
    assert.equal(expectedImprovement({ mean: 1, variance: 0 }, 1.5), 0);
    // At the incumbent, EI = sd * pdf(0).
    assert.ok(
      Math.abs(expectedImprovement({ mean: 1, variance: 4 }, 1) - 2 / Math.sqrt(2 * Math.PI)) <
        1e-12,
    );
    assert.ok(Math.abs(normalCdf(1.959963985) - 0.975) < 1e-7);
  });
});
