import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { PeakStats } from "../src/peak-stats-callback.ts";
import { linspace, replay, simScan, synGauss } from "./sim-run.ts";

describe("PeakStats callback", () => {
  test("noiseless sim det scanned -5..5 in 100 points: cen and com 0, fwhm 2.355 (Bluesky's own test)", () => {
    const ps = new PeakStats("motor", "det");
    replay(simScan({ positions: linspace(-5, 5, 100) }), ps.callback);
    assert.ok(Math.abs(ps.cen ?? 1) < 1e-12);
    assert.ok(Math.abs(ps.com ?? 1) < 1e-12);
    assert.ok(Math.abs((ps.fwhm ?? 0) - 2.3548) < 1e-2);
  });

  test("noisy_det (uniform noise 0.1) on a peak at 0.7: cen within 0.1, fwhm within 10 %", () => {
    const ps = new PeakStats("motor", "det");
    const detector = synGauss({ center: 0.7, noise: 0.1, seed: 5 });
    replay(simScan({ positions: linspace(-5, 5, 41), detector }), ps.callback);
    assert.ok(Math.abs((ps.cen ?? 0) - 0.7) < 0.1, `cen ${ps.cen}`);
    assert.ok(Math.abs((ps.fwhm ?? 0) / 2.3548 - 1) < 0.1, `fwhm ${ps.fwhm}`);
    assert.deepEqual(ps.max?.[0], ps.stats?.max[0]);
  });

  test("event pages count as events; the derivative variant peaks at the edge of a step", () => {
    const ps = new PeakStats("motor", "det", { calcDerivativeAndStats: true });
    const detector = (m: number) => 1 / (1 + Math.exp(-(m - 0.5) / 0.2));
    replay(simScan({ positions: linspace(-2, 2, 81), detector, pages: true }), ps.callback);
    assert.equal(ps.data.x.length, 81);
    assert.ok(Math.abs((ps.derivativeStats?.cen ?? 0) - 0.525) < 0.02);
  });

  test("results are null before a run and for a run without the fields", () => {
    const ps = new PeakStats("motor", "nothing");
    assert.equal(ps.cen, null);
    replay(simScan({ positions: [0, 1, 2] }), ps.callback);
    assert.equal(ps.stats, null);
  });

  test("onResult receives each run's statistics", () => {
    const seen: number[] = [];
    const ps = new PeakStats("motor", "det", { onResult: (s) => seen.push(s.max[0]) });
    replay(simScan({ positions: linspace(-2, 2, 9) }), ps.callback);
    replay(
      simScan({ positions: linspace(-2, 2, 9), detector: synGauss({ center: 1 }) }),
      ps.callback,
    );
    assert.deepEqual(seen, [0, 1]);
  });
});
