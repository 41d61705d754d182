import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { ModelDefinitionError } from "../../src/errors.ts";
import { composite } from "../../src/models/composite.ts";
import { exponential } from "../../src/models/exponential.ts";
import { evaluateModel, type Model } from "../../src/models/model.ts";
import { gaussian, lorentzian } from "../../src/models/peaks.ts";
import { constant, linear, quadratic } from "../../src/models/polynomial.ts";
import { step } from "../../src/models/step.ts";
import { pseudoVoigt, voigt } from "../../src/models/voigt.ts";
import { linspace } from "../sim-data.ts";

const num = (min: number, max: number) => fc.double({ min, max, noNaN: true });

/** Trapezoidal area of a model over a wide range. */
function area(model: Model, values: number[], from: number, to: number): number {
  const f = model.bind(values);
  const x = linspace(from, to, 200_001);
  let sum = 0;
  for (let i = 1; i < x.length; i++)
    sum += ((f(x[i - 1] ?? 0) + f(x[i] ?? 0)) / 2) * ((x[i] ?? 0) - (x[i - 1] ?? 0));
  return sum;
}

describe("peak models follow lmfit's definitions", () => {
  test("amplitude is the area under the peak", () => {
    assert.ok(Math.abs(area(gaussian(), [3, 1, 0.5], -20, 20) - 3) < 1e-6);
    // Lorentzian and Voigt tails are long: integrate far and allow for the missing tail.
    assert.ok(Math.abs(area(lorentzian(), [3, 1, 0.5], -5000, 5000) - 3) < 1e-3);
    assert.ok(Math.abs(area(voigt(), [3, 1, 0.5, 0.3], -5000, 5000) - 3) < 1e-3);
    assert.ok(Math.abs(area(pseudoVoigt(), [3, 1, 0.5, 0.4], -5000, 5000) - 3) < 1e-3);
  });

  test("derived fwhm is the width at half height", () => {
    for (const [model, values] of [
      [gaussian(), [2, 0.3, 0.7]],
      [lorentzian(), [2, 0.3, 0.7]],
      [voigt(), [2, 0.3, 0.7, 0.4]],
      [pseudoVoigt(), [2, 0.3, 0.7, 0.3]],
    ] as const) {
      const { fwhm = 0, height = 0 } = model.derived([...values]);
      const f = model.bind([...values]);
      assert.ok(Math.abs(f(0.3) - height) < 1e-9 * height, `${model.name} height`);
      const atHalf = f(0.3 + fwhm / 2) / height;
      // Olivero's Voigt fwhm formula is good to 0.02 %.
      assert.ok(
        Math.abs(atHalf - 0.5) < 2e-3,
        `${model.name} at fwhm/2 is ${atHalf} of the height`,
      );
    }
  });

  test("a prefix renames parameters and derived quantities", () => {
    const g = gaussian({ prefix: "p1_" });
    assert.deepEqual(g.paramNames, ["p1_amplitude", "p1_center", "p1_sigma"]);
    assert.deepEqual(Object.keys(g.derived([1, 0, 1])).sort(), ["p1_fwhm", "p1_height"]);
    assert.throws(() => gaussian({ prefix: "a.b" }), ModelDefinitionError);
  });
});

describe("analytic gradients agree with finite differences", () => {
  const cases: [string, Model, fc.Arbitrary<number[]>][] = [
    ["gaussian", gaussian(), fc.tuple(num(0.1, 10), num(-2, 2), num(0.2, 3))],
    ["lorentzian", lorentzian(), fc.tuple(num(0.1, 10), num(-2, 2), num(0.2, 3))],
    ["step", step(), fc.tuple(num(-5, 5), num(-2, 2), num(0.2, 3))],
    ["exponential", exponential(), fc.tuple(num(0.1, 5), num(0.5, 5))],
    [
      "quadratic + constant",
      composite(quadratic(), constant({ prefix: "b_" })),
      fc.tuple(num(-2, 2), num(-2, 2), num(-2, 2), num(-2, 2)),
    ],
  ];
  for (const [name, model, params] of cases) {
    test(name, () => {
      fc.assert(
        fc.property(params, fc.double({ min: -4, max: 4, noNaN: true }), (values, x) => {
          const g = model.bindGradient?.(values);
          assert.ok(g, `${name} has an analytic gradient`);
          const out = new Array<number>(values.length).fill(0);
          g(x, out, 0);
          values.forEach((v, k) => {
            const h = 1e-6 * Math.max(1, Math.abs(v));
            const up = model.bind(values.map((w, j) => (j === k ? w + h : w)))(x);
            const down = model.bind(values.map((w, j) => (j === k ? w - h : w)))(x);
            const numeric = (up - down) / (2 * h);
            assert.ok(
              Math.abs((out[k] ?? 0) - numeric) < 1e-5 * Math.max(1, Math.abs(numeric)),
              `d/d${model.paramNames[k]}: ${out[k]} vs ${numeric}`,
            );
          });
        }),
      );
    });
  }
});

describe("guesses from data", () => {
  const x = linspace(-5, 5, 41);
  test("a peak's guess finds its centre, width and area roughly", () => {
    const y = evaluateModel(gaussian(), { amplitude: 5, center: 1.2, sigma: 0.8 }, x);
    const [a = 0, c = 0, s = 0] = gaussian().guess(x, y);
    assert.ok(Math.abs(c - 1.2) <= 0.25);
    assert.ok(Math.abs(s / 0.8 - 1) < 0.2);
    assert.ok(Math.abs(a / 5 - 1) < 0.25);
  });

  test("a dip is guessed as a negative peak", () => {
    const y = x.map((v) => 10 - 3 * Math.exp(-((v + 2) ** 2) / 2));
    const peak = composite(gaussian(), constant({ prefix: "bkg_" })).guess(x, y);
    assert.ok((peak[0] ?? 0) < 0);
    assert.ok(Math.abs((peak[1] ?? 0) + 2) < 0.3);
    assert.ok(Math.abs((peak[3] ?? 0) - 10) < 0.5);
  });

  test("a peak sampled mostly on its flanks and top is still a peak, not a dip", () => {
    // As an adaptive or fine scan samples: a few points far out, most of them near the peak.
    const xs = [-5, -4, ...linspace(-0.5, 1.1, 25), 4, 5];
    const ys = evaluateModel(gaussian(), { amplitude: 2, center: 0.3, sigma: 0.7 }, xs);
    const [amplitude = 0, center = 0] = gaussian().guess(xs, ys);
    assert.ok(amplitude > 0, `amplitude ${amplitude}`);
    assert.ok(Math.abs(center - 0.3) < 0.2, `center ${center}`);
  });

  test("polynomial guesses are exact least squares", () => {
    const y = x.map((v) => 0.5 * v * v - v + 2);
    quadratic()
      .guess(x, y)
      .forEach((v, k) => {
        assert.ok(Math.abs(v - ([0.5, -1, 2][k] ?? 0)) < 1e-9);
      });
    const [slope = 0, intercept = 0] = linear().guess(
      x,
      x.map((v) => 3 * v - 1),
    );
    assert.ok(Math.abs(slope - 3) < 1e-12 && Math.abs(intercept + 1) < 1e-12);
  });

  test("an exponential's guess comes from log(y)", () => {
    const [a = 0, t = 0] = exponential().guess(
      x,
      x.map((v) => 2 * Math.exp(-v / 3)),
    );
    assert.ok(Math.abs(a - 2) < 1e-9 && Math.abs(t - 3) < 1e-9);
  });

  test("a step's guess finds the edge", () => {
    const y = evaluateModel(step(), { amplitude: 4, center: -1, sigma: 0.5 }, x);
    const [a = 0, c = 0, s = 0] = step().guess(x, y);
    assert.ok(Math.abs(a - 4) < 0.1 && Math.abs(c + 1) < 0.1 && Math.abs(s - 0.5) < 0.2);
  });
});

test("a composite refuses two parameters of the same name", () => {
  assert.throws(
    () => composite(gaussian(), gaussian()),
    /two parameters named "amplitude".*prefixes/,
  );
  assert.throws(() => composite(), ModelDefinitionError);
  const sum = composite(gaussian({ prefix: "a_" }), gaussian({ prefix: "b_" }), linear());
  assert.equal(sum.name, "gaussian + gaussian + linear");
  assert.equal(sum.paramNames.length, 8);
});

test("evaluateModel names a missing parameter", () => {
  assert.throws(() => evaluateModel(gaussian(), { amplitude: 1, center: 0 }, [0]), /"sigma"/);
});
