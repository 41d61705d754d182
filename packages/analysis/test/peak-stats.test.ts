import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { AnalysisInputError, NoResultError } from "../src/errors.ts";
import { derivativePeakStats, peakStats } from "../src/peak-stats.ts";
import { peakTargetPosition } from "../src/peak-target.ts";
import { linspace, synGauss } from "./sim-data.ts";

describe("peakStats computes what Bluesky's PeakStats computes", () => {
  test("a hand-worked triangle", () => {
    const stats = peakStats([0, 1, 2, 3, 4], [0, 1, 3, 1, 0]);
    assert.deepEqual(stats.min, [0, 0]); // the first of the two minima, as numpy's argmin
    assert.deepEqual(stats.max, [2, 3]);
    assert.equal(stats.com, 2);
    // mid = 1.5: crossings between x=1,2 and x=2,3 at 1.25 and 2.75.
    assert.deepEqual(stats.crossings, [1.25, 2.75]);
    assert.equal(stats.cen, 2);
    assert.equal(stats.fwhm, 1.5);
    assert.equal(stats.linBkg, null);
  });

  test("the sim det scanned from -5 to 5 in 100 points: cen and com 0, fwhm 2.355", () => {
    const x = linspace(-5, 5, 100);
    const stats = peakStats(x, synGauss(x));
    assert.ok(Math.abs(stats.cen ?? 1) < 1e-12);
    assert.ok(Math.abs(stats.com ?? 1) < 1e-12);
    assert.ok(Math.abs((stats.fwhm ?? 0) - 2 * Math.sqrt(2 * Math.LN2)) < 1e-2);
  });

  test("com is the centre of mass over the index, interpolated onto unevenly spaced x", () => {
    // Σ i y / Σ y = (0*1 + 1*1 + 2*2) / 4 = 1.25 → between x[1] = 10 and x[2] = 30.
    assert.equal(peakStats([0, 10, 30], [1, 1, 2]).com, 15);
  });

  test("edgeCount removes a straight background first and reports it", () => {
    const x = linspace(-5, 5, 51);
    const y = synGauss(x, { center: 1, imax: 4, sigma: 0.5 }).map(
      (v, i) => v + 0.3 * (x[i] ?? 0) + 2,
    );
    const stats = peakStats(x, y, { edgeCount: 5 });
    assert.ok(stats.linBkg !== null);
    assert.ok(Math.abs(stats.linBkg.m - 0.3) < 1e-3 && Math.abs(stats.linBkg.b - 2) < 1e-3);
    assert.ok(Math.abs((stats.cen ?? 0) - 1) < 0.01);
    // max keeps the original y value at the corrected maximum.
    assert.equal(stats.max[1], y[30]);
    assert.throws(() => peakStats(x, y, { edgeCount: 0 }), AnalysisInputError);
  });

  test("flat data have no crossings: cen, crossings and fwhm are null; one crossing gives no fwhm", () => {
    const flat = peakStats([0, 1, 2], [5, 5, 5]);
    assert.equal(flat.cen, null);
    assert.equal(flat.crossings, null);
    assert.equal(flat.fwhm, null);
    const edge = peakStats([0, 1, 2, 3], [0, 0, 1, 1]);
    assert.deepEqual(edge.crossings, [1.5]);
    assert.equal(edge.fwhm, null);
  });

  test("the derivative variant uses (x[1:], diff(y)): an edge becomes a peak at the edge", () => {
    const x = linspace(-5, 5, 101);
    const y = x.map((v) => 1 / (1 + Math.exp(-(v - 0.5) / 0.3)));
    const d = derivativePeakStats(x, y);
    assert.equal(d.x.length, 100);
    assert.equal(d.x[0], x[1]);
    assert.equal(d.y[0], (y[1] ?? 0) - (y[0] ?? 0));
    // diff(y)[i] sits at x[i+1], half a step right of the midpoint: cen is 0.05 above 0.5.
    assert.ok(Math.abs((d.cen ?? 0) - 0.55) < 0.02, `cen ${d.cen}`);
    assert.throws(() => derivativePeakStats([1], [1]), /at least 2 points/);
  });

  test("mismatched or empty data throw", () => {
    assert.throws(() => peakStats([1, 2], [1]), AnalysisInputError);
    assert.throws(() => peakStats([], []), /no data points/);
  });

  test("shifting x shifts cen and com; scaling y keeps them", () => {
    const x = linspace(-3, 3, 25);
    const y = synGauss(x, { center: 0.4, sigma: 0.8 });
    const base = peakStats(x, y);
    fc.assert(
      fc.property(
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        (shift, scale) => {
          const moved = peakStats(
            x.map((v) => v + shift),
            y.map((v) => v * scale),
          );
          assert.ok(Math.abs((moved.cen ?? 0) - (base.cen ?? 0) - shift) < 1e-9);
          assert.ok(Math.abs((moved.com ?? 0) - (base.com ?? 0) - shift) < 1e-9);
          assert.ok(Math.abs((moved.fwhm ?? 0) - (base.fwhm ?? 0)) < 1e-9);
        },
      ),
    );
  });
});

describe("peakTargetPosition", () => {
  const stats = peakStats([0, 1, 2, 3, 4], [0, 1, 3, 1, 0.5]);
  test("gives the position each goto_* target moves to", () => {
    assert.equal(peakTargetPosition(stats, "cen"), stats.cen);
    assert.equal(peakTargetPosition(stats, "com"), stats.com);
    assert.equal(peakTargetPosition(stats, "peak"), 2);
    assert.equal(peakTargetPosition(stats, "max"), 2);
    assert.equal(peakTargetPosition(stats, "min"), 0);
  });

  test("refuses when the statistic does not exist", () => {
    assert.throws(() => peakTargetPosition(peakStats([0, 1], [2, 2]), "cen"), NoResultError);
  });
});
