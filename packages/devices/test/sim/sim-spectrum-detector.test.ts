import { equal, ok } from "node:assert/strict";
import { describe, it } from "node:test";
import { SimSpectrumDetector, SynAxis } from "../../src/sim/index.ts";
import { assertDescribeMatchesRead } from "../../src/testing/index.ts";

describe("SimSpectrumDetector", () => {
  it("reads a spectrum whose peak height follows the motor, and its total", async () => {
    const motor = new SynAxis("motor");
    const det = new SimSpectrumDetector("mca", { motor, motorField: "motor", channels: 16 });
    for (const m of [0, 1, -2]) {
      await motor.set(m);
      await det.trigger();
      const readings = await det.read();
      const spectrum = readings["mca"]?.value as number[];
      equal(spectrum.length, 16);
      const height = 100 * Math.exp(-(m * m) / 2);
      for (const i of [0, 7, 12]) {
        const want = height * Math.exp(-((i - 7.5) ** 2) / (2 * 1 ** 2));
        ok(Math.abs((spectrum[i] ?? Number.NaN) - want) < 1e-9, `channel ${i} at m=${m}`);
      }
      const total = readings["mca_total"]?.value as number;
      ok(Math.abs(total - spectrum.reduce((a, b) => a + b, 0)) < 1e-9);
    }
    equal((await det.describe())["mca"]?.shape?.[0], 16);
    equal(det.hints.fields?.[0], "mca_total");
    await assertDescribeMatchesRead(det);
  });
});
