import { equal, ok, rejects } from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidValueError } from "../../src/index.ts";
import { Syn2DGauss, SynAxis, SynGauss, seededRandom } from "../../src/sim/index.ts";
import {
  assertConfiguration,
  assertDescribeMatchesRead,
  assertReading,
} from "../../src/testing/index.ts";

// Independent of the implementation: the formula as written in ophyd.sim's docs.
const expected1d = (m: number, c: number, I: number, s: number): number =>
  I * Math.exp(-((m - c) * (m - c)) / (2 * s * s));

describe("SynGauss", () => {
  it("reads Imax·exp(−(m − center)²/(2σ²)) of the motor at several positions", async () => {
    const motor1 = new SynAxis("motor1");
    const det1 = new SynGauss("det1", motor1, "motor1", { center: 0, Imax: 5, sigma: 0.5 });
    await det1.connect();
    for (const m of [-1, -0.5, 0, 0.25, 1.5]) {
      await motor1.set(m);
      await det1.trigger();
      await assertReading(
        det1,
        { det1: { value: expected1d(m, 0, 5, 0.5) } },
        { tolerance: 1e-12 },
      );
    }
  });

  it("keeps its value between triggers, as ophyd.sim does", async () => {
    const motor = new SynAxis("motor");
    const det = new SynGauss("det", motor, "motor", { Imax: 1 });
    await det.connect();
    await motor.set(1);
    await assertReading(det, { det: { value: 1 } });
    await det.trigger();
    await assertReading(det, { det: { value: expected1d(1, 0, 1, 1) } });
  });

  it("has ophyd.sim's configuration keys and hints", async () => {
    const motor = new SynAxis("motor");
    const det2 = new SynGauss("det2", motor, "motor", { center: 1, Imax: 2, sigma: 2 });
    await det2.connect();
    await assertConfiguration(det2, {
      det2_Imax: { value: 2 },
      det2_center: { value: 1 },
      det2_sigma: { value: 2 },
      det2_noise: { value: "none" },
      det2_noise_multiplier: { value: 1 },
    });
    equal((await det2.describeConfiguration())["det2_noise"]?.choices?.length, 3);
    equal(det2.hints.fields?.[0], "det2");
    await assertDescribeMatchesRead(det2);
    equal((await det2.describe())["det2"]?.precision, 3);
  });

  it("configuration changes the formula", async () => {
    const motor = new SynAxis("motor", { value: 2 });
    const det = new SynGauss("det", motor, "motor", { Imax: 1 });
    await det.connect();
    await det.center.set(2);
    await det.Imax.set(7);
    await det.trigger();
    await assertReading(det, { det: { value: 7 } });
  });

  it("uniform noise stays within ±noise_multiplier and is reproducible with a seed", async () => {
    const values = async (seed: number): Promise<number[]> => {
      const motor = new SynAxis("motor");
      const det = new SynGauss("noisy_det", motor, "motor", {
        Imax: 1,
        noise: "uniform",
        noiseMultiplier: 0.1,
        random: seededRandom(seed),
      });
      await det.connect();
      const out: number[] = [];
      for (let i = 0; i < 20; i++) {
        await det.trigger();
        out.push((await det.val.getValue()) - 1);
      }
      return out;
    };
    const a = await values(7);
    ok(a.every((d) => Math.abs(d) <= 0.1));
    ok(a.some((d) => d !== 0));
    equal(JSON.stringify(a), JSON.stringify(await values(7)));
  });

  it("poisson noise gives whole counts around round(v)", async () => {
    const motor = new SynAxis("motor");
    const det = new SynGauss("det", motor, "motor", {
      Imax: 1000,
      noise: "poisson",
      random: seededRandom(3),
    });
    await det.connect();
    let sum = 0;
    for (let i = 0; i < 200; i++) {
      await det.trigger();
      const v = await det.val.getValue();
      ok(Number.isInteger(v));
      sum += v;
    }
    const mean = sum / 200;
    ok(Math.abs(mean - 1000) < 10, `mean ${mean} far from 1000`);
  });

  it("a motor field that is missing fails the trigger, naming the detector and field", async () => {
    const motor = new SynAxis("motor");
    const det = new SynGauss("det", motor, "no_such_field");
    await rejects(det.connect(), (error: Error) => {
      ok(error instanceof InvalidValueError);
      ok(
        error.message.includes(
          'det cannot take undefined: expected a number in motor\'s "no_such_field"',
        ),
      );
      return true;
    });
  });
});

describe("Syn2DGauss", () => {
  it("reads Imax·exp(−((x − cx)² + (y − cy)²)/(2σ²)) of two motors", async () => {
    const motor1 = new SynAxis("motor1");
    const motor2 = new SynAxis("motor2");
    const det4 = new Syn2DGauss("det4", [
      [motor1, "motor1"],
      [motor2, "motor2"],
    ]);
    await det4.connect();
    for (const [x, y] of [
      [0, 0],
      [1, 0],
      [0.5, -1],
      [2, 2],
    ] as const) {
      await motor1.set(x);
      await motor2.set(y);
      await det4.trigger();
      const want = Math.exp(-(x * x + y * y) / 2);
      await assertReading(det4, { det4: { value: want } }, { tolerance: 1e-12 });
    }
    await assertConfiguration(det4, {
      det4_Imax: { value: 1 },
      det4_center: { value: [0, 0] },
      det4_sigma: { value: 1 },
      det4_noise: { value: "none" },
      det4_noise_multiplier: { value: 1 },
    });
  });
});
