import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AnalysisInputError, ModelDefinitionError } from "../../src/errors.ts";
import { fit } from "../../src/fit/fit.ts";
import type { FitResult } from "../../src/fit/fit-result.ts";
import { composite } from "../../src/models/composite.ts";
import { exponential } from "../../src/models/exponential.ts";
import { evaluateModel, type Model } from "../../src/models/model.ts";
import { gaussian, lorentzian } from "../../src/models/peaks.ts";
import { constant, linear, quadratic } from "../../src/models/polynomial.ts";
import { step } from "../../src/models/step.ts";
import { pseudoVoigt, voigt } from "../../src/models/voigt.ts";
import { linspace, noise, synGauss } from "../sim-data.ts";

/** Asserts a fitted value is within `tolerance` of the truth and within 4 standard errors. */
function assertNear(result: FitResult, name: string, truth: number, tolerance: number) {
  const value = result.params[name] ?? Number.NaN;
  const error = result.stderr[name] ?? Number.NaN;
  assert.ok(
    Math.abs(value - truth) <= tolerance,
    `${name} = ${value}, expected ${truth} +/- ${tolerance}`,
  );
  assert.ok(error > 0, `${name} has a standard error (${error})`);
  assert.ok(
    Math.abs(value - truth) <= 4 * error + 1e-12,
    `${name} = ${value} +/- ${error} misses ${truth}`,
  );
}

const motor = linspace(-5, 5, 41);

describe("fits of sim scans recover the known peak", () => {
  test("noisy_det (SynGauss, centre 0, sigma 1, uniform noise 0.1): centre within 0.1, sigma within 10 %", () => {
    const y = synGauss(motor, { noise: "uniform", noiseMultiplier: 0.1, seed: 3 });
    const result = fit(gaussian(), motor, y);
    assert.equal(result.success, true, result.reason);
    // The expected scatter of the centre here is 0.03 (41 points, noise sd 0.058).
    assertNear(result, "center", 0, 0.1);
    assertNear(result, "sigma", 1, 0.1);
    // SynGauss's Imax = 1 is the height; lmfit's amplitude is the area, sigma sqrt(2 pi).
    assert.ok(Math.abs((result.derived["height"] ?? 0) - 1) < 0.1);
    assert.ok(Math.abs((result.derived["fwhm"] ?? 0) - 2.3548) < 0.24);
    assert.equal(result.converged, true);
  });

  test("det1 (centre 0, Imax 5, sigma 0.5) on a background, with a constant in the model", () => {
    const x = linspace(-2, 2, 31);
    const y = synGauss(x, {
      imax: 5,
      sigma: 0.5,
      noise: "normal",
      noiseMultiplier: 0.05,
      seed: 9,
    }).map((v) => v + 2);
    const result = fit(composite(gaussian(), constant({ prefix: "bkg_" })), x, y);
    assert.equal(result.success, true, result.reason);
    assertNear(result, "center", 0, 0.02);
    assertNear(result, "sigma", 0.5, 0.02);
    assertNear(result, "bkg_c", 2, 0.05);
  });

  test("reported uncertainties match the scatter of repeated noisy scans", () => {
    const centers: number[] = [];
    const errors: number[] = [];
    for (let seed = 1; seed <= 40; seed++) {
      const y = synGauss(motor, {
        center: 0.7,
        sigma: 1.2,
        noise: "normal",
        noiseMultiplier: 0.05,
        seed,
      });
      const result = fit(gaussian(), motor, y);
      assert.equal(result.success, true, result.reason);
      centers.push(result.params["center"] ?? Number.NaN);
      errors.push(result.stderr["center"] ?? Number.NaN);
    }
    const mean = centers.reduce((s, v) => s + v, 0) / centers.length;
    const scatter = Math.sqrt(
      centers.reduce((s, v) => s + (v - mean) ** 2, 0) / (centers.length - 1),
    );
    const reported = errors.reduce((s, v) => s + v, 0) / errors.length;
    assert.ok(
      Math.abs(mean - 0.7) < 3 * (scatter / Math.sqrt(centers.length)),
      `mean centre ${mean}`,
    );
    assert.ok(
      scatter / reported > 0.7 && scatter / reported < 1.4,
      `scatter ${scatter} vs stderr ${reported}`,
    );
  });

  const cases: [string, Model, Record<string, number>, number[]][] = [
    ["lorentzian", lorentzian(), { amplitude: 3, center: 0.4, sigma: 0.8 }, linspace(-6, 6, 61)],
    ["voigt", voigt(), { amplitude: 3, center: -0.4, sigma: 0.6, gamma: 0.4 }, linspace(-6, 6, 81)],
    [
      "pseudo-voigt",
      pseudoVoigt(),
      { amplitude: 3, center: 0.2, sigma: 0.9, fraction: 0.4 },
      linspace(-6, 6, 81),
    ],
    [
      "erf step + constant",
      composite(step(), constant({ prefix: "bkg_" })),
      { amplitude: 2, center: 0.5, sigma: 0.7, bkg_c: 1 },
      motor,
    ],
    ["linear", linear(), { slope: 2, intercept: -1 }, motor],
    ["quadratic", quadratic(), { a: 0.5, b: -1, c: 2 }, motor],
    ["exponential", exponential(), { amplitude: 3, decay: 2 }, motor],
    [
      "two gaussians on a line",
      composite(
        gaussian({ prefix: "p1_" }),
        gaussian({ prefix: "p2_" }),
        linear({ prefix: "bkg_" }),
      ),
      {
        p1_amplitude: 2,
        p1_center: -2,
        p1_sigma: 0.5,
        p2_amplitude: 1.5,
        p2_center: 1.5,
        p2_sigma: 0.7,
        bkg_slope: 0.05,
        bkg_intercept: 0.3,
      },
      linspace(-5, 5, 101),
    ],
  ];
  for (const [name, model, truth, x] of cases) {
    test(`${name}: parameters within 4 standard errors of the truth`, () => {
      const clean = evaluateModel(model, truth, x);
      const y = clean.map((v, i) => v + (noise(x.length, 17)[i] ?? 0) * 0.01);
      const result = fit(model, x, y);
      assert.equal(result.success, true, result.reason);
      for (const [param, value] of Object.entries(truth))
        assertNear(result, param, value, 0.1 * Math.max(1, Math.abs(value)));
    });
  }

  test("noise-free data converge to the exact parameters", () => {
    const y = evaluateModel(gaussian(), { amplitude: 2, center: 0.3, sigma: 0.9 }, motor);
    const result = fit(gaussian(), motor, y);
    assert.equal(result.success, true, result.reason);
    assert.ok(Math.abs((result.params["center"] ?? 0) - 0.3) < 1e-8);
    assert.ok(result.chisqr < 1e-20);
  });
});

describe("fits on pure noise report failure clearly", () => {
  for (const [name, model, level] of [
    ["gaussian", gaussian(), 0],
    ["gaussian + constant", composite(gaussian(), constant({ prefix: "bkg_" })), 5],
    ["lorentzian", lorentzian(), 0],
    ["erf step + constant", composite(step(), constant({ prefix: "bkg_" })), 1],
    ["linear", linear(), 1],
  ] as const) {
    test(`${name} on 30 noise-only scans`, () => {
      for (let seed = 1; seed <= 30; seed++) {
        const result = fit(model, motor, noise(motor.length, seed * 101, 0.1, level));
        assert.equal(
          result.success,
          false,
          `seed ${seed}: ${JSON.stringify(result.params)} passed`,
        );
        assert.ok(result.failure !== null);
        assert.ok(result.reason.length > 10);
      }
    });
  }

  test("the reason says the model is no better than a constant", () => {
    const result = fit(linear(), motor, noise(motor.length, 5, 0.1, 1));
    assert.equal(result.failure?.code, "not-significant");
    assert.match(result.reason, /no better than a constant \(F-test p = /);
  });
});

describe("inputs", () => {
  test("mismatched lengths throw, naming both", () => {
    assert.throws(() => fit(gaussian(), [1, 2, 3], [1, 2]), AnalysisInputError);
    assert.throws(() => fit(gaussian(), [1, 2], [1, 2], { yerr: [1] }), /yerr has 1 values/);
  });

  test("unknown parameters in initial or fixed throw", () => {
    assert.throws(
      () => fit(gaussian(), motor, motor, { initial: { centre: 0 } }),
      ModelDefinitionError,
    );
    assert.throws(
      () => fit(gaussian(), motor, motor, { fixed: { width: 1 } }),
      /unknown parameter "width"/,
    );
  });

  test("NaN data and too few points fail with a reason instead of throwing", () => {
    const bad = fit(gaussian(), [0, 1, 2, 3], [1, Number.NaN, 1, 0]);
    assert.equal(bad.failure?.code, "invalid-data");
    assert.match(bad.reason, /y\[1\] is NaN/);
    const few = fit(gaussian(), [0, 1, 2], [0, 1, 0]);
    assert.equal(few.failure?.code, "too-few-points");
    const weights = fit(linear(), [0, 1, 2, 3], [0, 1, 2, 3], { yerr: [1, -1, 1, 1] });
    assert.equal(weights.failure?.code, "invalid-data");
  });

  test("a point with yerr 0 is left out (weight 0), as bluesky's LiveFit does, not a failure", () => {
    // Counting statistics: yerr = sqrt(counts) is 0 where a tail reads 0 counts.
    const x = Array.from({ length: 25 }, (_, i) => -6 + i * 0.5);
    const y = x.map((v) => Math.round(400 * Math.exp((-v * v) / 2)));
    const zeros = y.filter((v) => v === 0).length;
    assert.ok(zeros >= 4, "the tails read 0 counts");
    const result = fit(gaussian(), x, y, { yerr: y.map(Math.sqrt) });
    assert.equal(result.success, true, result.reason);
    assert.equal(result.ndata, 25 - zeros, "the points with yerr 0 do not count as data");
    assert.ok(
      Math.abs((result.params["center"] ?? Number.NaN) - 0) < 0.2,
      String(result.params["center"]),
    );
    // An outlier with yerr 0 is ignored: the same fit as without it.
    const outlier = fit(linear(), [0, 1, 2, 3, 4], [0, 1, 50, 3, 4], { yerr: [1, 1, 0, 1, 1] });
    assert.ok(
      Math.abs((outlier.params["slope"] ?? Number.NaN) - 1) < 1e-6,
      JSON.stringify(outlier.params),
    );
    const few = fit(linear(), [0, 1, 2], [0, 1, 2], { yerr: [1, 0, 1] });
    assert.equal(few.failure?.code, "too-few-points");
    assert.match(few.reason, /2 points \(of 3; those with yerr 0 do not count\)/);
  });

  test("fixed parameters stay put and have no standard error", () => {
    const y = synGauss(motor, { noise: "normal", noiseMultiplier: 0.02, seed: 4 });
    const result = fit(gaussian(), motor, y, { fixed: { center: 0 } });
    assert.equal(result.success, true, result.reason);
    assert.equal(result.params["center"], 0);
    assert.equal(result.stderr["center"], null);
    assert.deepEqual(result.varied, ["amplitude", "sigma"]);
    assert.equal(result.nvarys, 2);
  });

  test("scaling every yerr by the same factor changes neither values nor (scaled) errors", () => {
    const y = synGauss(motor, { noise: "normal", noiseMultiplier: 0.05, seed: 8 });
    const a = fit(gaussian(), motor, y, { yerr: motor.map(() => 0.05) });
    const b = fit(gaussian(), motor, y, { yerr: motor.map(() => 5) });
    for (const name of ["amplitude", "center", "sigma"]) {
      assert.ok(Math.abs((a.params[name] ?? 0) - (b.params[name] ?? 0)) < 1e-7);
      assert.ok(Math.abs((a.stderr[name] ?? 0) / (b.stderr[name] ?? 1) - 1) < 1e-5);
    }
    assert.ok(Math.abs(a.redchi / b.redchi - 1e4) < 1);
  });

  test("initial values replace the guess", () => {
    const y = synGauss(motor, { center: 2, noise: "normal", noiseMultiplier: 0.01, seed: 2 });
    const result = fit(gaussian(), motor, y, { initial: { center: 1.5, sigma: 2 } });
    assert.equal(result.initial["center"], 1.5);
    assert.equal(result.initial["sigma"], 2);
    assert.ok(Math.abs((result.params["center"] ?? 0) - 2) < 0.01);
  });
});
