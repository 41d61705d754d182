import { equal, ok } from "node:assert/strict";
import { describe, it } from "node:test";
import { waitForValue } from "../../src/index.ts";
import { BeamCurrent } from "../../src/sim/index.ts";

describe("BeamCurrent", () => {
  it("decays as nominal·exp(−t/lifetime) and tops up every period", async () => {
    let t = 1000;
    const beam = new BeamCurrent("ring_current", {
      clock: () => t,
      lifetime: 100,
      topUpPeriod: 30,
    });
    equal(await beam.getValue(), 500);
    t += 10;
    ok(Math.abs((await beam.getValue()) - 500 * Math.exp(-10 / 100)) < 1e-9);
    t += 25; // 35 s after the start: 5 s after a top-up
    ok(Math.abs((await beam.getValue()) - 500 * Math.exp(-5 / 100)) < 1e-9);
    equal((await beam.describe())["ring_current"]?.units, "mA");
  });

  it("dump() drops the current to 0 for monitors (a suspender's trigger); restore() brings it back", async () => {
    const beam = new BeamCurrent("beam_current", { period: 0.005 });
    setTimeout(() => beam.dump(), 5);
    equal(await waitForValue(beam, (v) => v === 0, { timeout: 2 }), 0);
    setTimeout(() => beam.restore(), 5);
    ok((await waitForValue(beam, (v) => v > 499, { timeout: 2 })) <= 500);
  });
});
