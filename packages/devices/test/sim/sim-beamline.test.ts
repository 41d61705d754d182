import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { assertValidStream } from "@cerulean/event-model/testing";
import { isReadable, isStageable, type Readable } from "../../src/index.ts";
import { createSimBeamline, type SimBeamline } from "../../src/sim/index.ts";
import { assertDescribeMatchesRead } from "../../src/testing/index.ts";
import { stepRun } from "./run-documents.ts";

const dataDir = mkdtempSync(join(tmpdir(), "cerulean-beamline-"));
let hw: SimBeamline;
before(async () => {
  hw = await createSimBeamline({ dataDir, seed: 42 });
});
after(() => rmSync(dataDir, { recursive: true, force: true }));

const gauss = (m: number, c: number, I: number, s: number): number =>
  I * Math.exp(-((m - c) ** 2) / (2 * s ** 2));

describe("the sim beamline", () => {
  it("has ophyd.sim's devices under ophyd.sim's names", () => {
    for (const name of [
      "motor",
      "motor1",
      "motor2",
      "motor3",
      "det",
      "det1",
      "det2",
      "det3",
      "det4",
      "det5",
      "noisy_det",
      "rand",
      "rand2",
      "img",
      "sig",
      "bool_sig",
      "signal",
      "jittery_motor1",
      "jittery_motor2",
      "flyer1",
      "flyer2",
      "trivial_flyer",
    ] as const) {
      equal(hw[name].name, name, `${name} is named ${hw[name].name}`);
    }
    equal(hw.identical_det.name, "det");
    deepStrictEqual(hw.flyer1.positions.length, 20);
    deepStrictEqual(hw.flyer2.positions.length, 10);
  });

  it("det, det1, det2, det3 follow ophyd.sim's parameters at several positions", async () => {
    const cases = [
      [hw.motor, hw.det, 0, 1, 1],
      [hw.motor1, hw.det1, 0, 5, 0.5],
      [hw.motor2, hw.det2, 1, 2, 2],
      [hw.motor3, hw.det3, -1, 2, 1],
    ] as const;
    for (const [motor, det, center, Imax, sigma] of cases) {
      for (const m of [-2, -0.3, 0, 1, 2.5]) {
        await motor.set(m);
        await det.trigger();
        const value = (await det.read())[det.name]?.value as number;
        ok(
          Math.abs(value - gauss(m, center, Imax, sigma)) < 1e-12,
          `${det.name} at ${m}: ${value}`,
        );
      }
    }
  });

  it("det4 is the 2-D Gaussian of motor1 and motor2; det5 of the jittery motors", async () => {
    for (const [x, y] of [
      [0, 0],
      [0.5, 1],
      [-1, 2],
    ] as const) {
      await hw.motor1.set(x);
      await hw.motor2.set(y);
      await hw.det4.trigger();
      const v = (await hw.det4.read())["det4"]?.value as number;
      ok(Math.abs(v - Math.exp(-(x * x + y * y) / 2)) < 1e-12);
    }
    await hw.jittery_motor1.set(1);
    const readback = hw.jittery_motor1.position;
    ok(readback >= 1 && readback < 2, `jittery readback ${readback}`);
    await hw.det5.trigger();
    const x = readback;
    const y = hw.jittery_motor2.position;
    const v = (await hw.det5.read())["det5"]?.value as number;
    ok(Math.abs(v - Math.exp(-(x * x + y * y) / 2)) < 1e-12);
  });

  it("noisy_det is det plus uniform noise of at most 0.1", async () => {
    await hw.motor.set(0.5);
    for (let i = 0; i < 10; i++) {
      await hw.noisy_det.trigger();
      const v = (await hw.noisy_det.read())["noisy_det"]?.value as number;
      ok(Math.abs(v - gauss(0.5, 0, 1, 1)) <= 0.1);
    }
  });

  it("every readable device's describe() and read() agree key for key", async () => {
    const readables = Object.values(hw).filter(isReadable) as Readable[];
    ok(readables.length >= 20);
    for (const device of readables) {
      if (isStageable(device)) await device.stage();
      if ("trigger" in device && typeof device.trigger === "function") await device.trigger();
      await assertDescribeMatchesRead(device);
      if (isStageable(device)) await device.unstage();
    }
  });

  it("a step run over motors and detectors makes documents the reference schemas accept", async () => {
    const devices: Readable[] = [
      hw.motor,
      hw.det,
      hw.noisy_det,
      hw.det4,
      hw.rand,
      hw.spectrum_det,
      hw.beam_current,
      hw.sig,
      hw.bool_sig,
      hw.image_det,
      hw.img,
    ];
    await hw.image_det.stage();
    await hw.img.stage();
    const docs = await stepRun(devices, 2);
    await hw.image_det.unstage();
    await hw.img.unstage();
    assertValidStream(docs);
    const descriptor = docs[1]?.[1] as { data_keys: Record<string, unknown>; hints: unknown };
    ok(
      "image_det" in descriptor.data_keys &&
        "det4_center" in
          (descriptor as unknown as { configuration: { det4: { data: object } } }).configuration
            .det4.data,
    );
  });

  it("the same seed gives the same noise", async () => {
    const again = await createSimBeamline({ dataDir, seed: 42 });
    const other = await createSimBeamline({ dataDir, seed: 43 });
    const series = async (b: SimBeamline): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < 3; i++) {
        await b.noisy_det.trigger();
        out.push((await b.noisy_det.read())["noisy_det"]?.value as number);
      }
      return out;
    };
    const [a, b, c] = [
      await series(again),
      await series(await createSimBeamline({ dataDir, seed: 42 })),
      await series(other),
    ];
    deepStrictEqual(a, b);
    ok(JSON.stringify(a) !== JSON.stringify(c));
  });

  it("velocity and limits apply to motor … motor3", async () => {
    const slow = await createSimBeamline({ dataDir, velocity: 100, limits: { low: -5, high: 5 } });
    const status = slow.motor2.set(1);
    equal(status.done, false);
    await status;
    equal(slow.motor2.position, 1);
    await rejects(Promise.resolve(slow.motor3.set(6)), {
      message: "motor3 cannot move to 6: beyond high limit 5",
    });
  });

  it("connects in mock mode", async () => {
    const mocked = await createSimBeamline({ dataDir, mock: true });
    ok(mocked.motor.setpoint.source.startsWith("mock+soft://"));
    await mocked.motor.set(2);
    await mocked.det.trigger();
    ok(Math.abs(((await mocked.det.read())["det"]?.value as number) - gauss(2, 0, 1, 1)) < 1e-12);
  });
});
