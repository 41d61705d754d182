// EPICS devices against the sim beamline served by a soft IOC: they read like the sim ones.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { LimitError } from "@cerulean/devices";
import {
  createSimBeamline,
  frameSum,
  gaussian,
  type SimBeamline,
  spotFrame,
} from "@cerulean/devices/sim";
import type { CaContext } from "../../src/client/context.ts";
import { EpicsCamera } from "../../src/devices/epics-camera.ts";
import { EpicsDetector } from "../../src/devices/epics-detector.ts";
import { EpicsMotor } from "../../src/devices/epics-motor.ts";
import { serveSimBeamline } from "../../src/server/sim-ioc.ts";
import type { SoftIoc } from "../../src/server/soft-ioc.ts";
import { contextFor, startTestIoc } from "../helpers.ts";

let ioc: SoftIoc;
let ca: CaContext;
let sim: SimBeamline;
let unserve: () => void;

before(async () => {
  sim = await createSimBeamline({
    seed: 1,
    velocity: 50,
    limits: { low: -10, high: 10 },
    dataDir: "/tmp/cerulean-epics-test",
  });
  ioc = await startTestIoc();
  ({ unserve } = await serveSimBeamline(ioc, sim));
  ca = contextFor(ioc);
});

after(async () => {
  unserve();
  await ca.close();
  await ioc.close();
});

const keysOf = (o: object) => Object.keys(o).sort();

describe("EpicsMotor over the served sim motor", () => {
  test("reads and describes the same keys as the sim motor, with the same metadata", async () => {
    const motor = new EpicsMotor("SIM:motor1", "motor1", { context: ca });
    await motor.connect();
    assert.deepEqual(keysOf(await motor.read()), keysOf(await sim.motor1.read()));
    assert.deepEqual(
      keysOf(await motor.readConfiguration()),
      keysOf(await sim.motor1.readConfiguration()),
    );
    const [ours, theirs] = [await motor.describe(), await sim.motor1.describe()];
    for (const key of Object.keys(theirs)) {
      const { source: _a, ...a } = ours[key] ?? { source: "" };
      const { source: _b, ...b } = theirs[key] ?? { source: "" };
      assert.deepEqual(a, b, key);
    }
    assert.equal(ours["motor1"]?.source, "ca://SIM:motor1.RBV");
    assert.deepEqual(motor.hints, { fields: ["motor1"] });
  });

  test("set finishes when the record is done moving, at the target", async () => {
    const motor = new EpicsMotor("SIM:motor2", "motor2", { context: ca });
    await motor.connect();
    await motor.set(0.75);
    assert.equal(await motor.doneMoving.getValue(), 1);
    assert.deepEqual(await motor.locate(), { setpoint: 0.75, readback: 0.75 });
    assert.equal(sim.motor2.position, 0.75);
  });

  test("a target beyond the soft limits fails with LimitError before anything moves", async () => {
    const motor = new EpicsMotor("SIM:motor3", "motor3", { context: ca });
    await motor.connect();
    await assert.rejects(
      async () => await motor.set(11),
      (e: unknown) => {
        assert.ok(e instanceof LimitError);
        assert.match(e.message, /motor3 cannot move to 11: beyond high limit 10/);
        return true;
      },
    );
    assert.equal(await motor.setpoint.getValue(), 0);
  });

  test("STOP ends a move early; the record reports done", async () => {
    const motor = new EpicsMotor("SIM:motor", "motor", { context: ca });
    await motor.connect();
    await motor.velocity.set(1);
    const move = motor.set(5);
    const end = Date.now() + 10_000;
    while ((await motor.doneMoving.getValue()) === 1) {
      assert.ok(Date.now() < end, "the record reports the move (DMOV 0) within 10 s");
      await new Promise((r) => setTimeout(r, 5));
    }
    await motor.stop();
    await move;
    const { readback } = await motor.locate();
    assert.ok(readback < 5, `stopped at ${readback}`);
    assert.equal(await motor.doneMoving.getValue(), 1);
    await motor.velocity.set(50);
    await motor.set(0);
  });
});

describe("EpicsDetector over the served sim detector", () => {
  test("trigger processes the record; value and configuration read like the sim's", async () => {
    const det = new EpicsDetector("SIM:det1", "det1", {
      context: ca,
      config: ["Imax", "center", "sigma", "noise", "noise_multiplier"],
    });
    await det.connect();
    await sim.motor1.set(0.25);
    await det.trigger();
    const reading = await det.read();
    assert.equal(reading["det1"]?.value, gaussian(0.25, 0, 5, 0.5));
    assert.deepEqual(keysOf(reading), keysOf(await sim.det1.read()));
    const config = await det.readConfiguration();
    assert.deepEqual(keysOf(config), keysOf(await sim.det1.readConfiguration()));
    assert.equal(config["det1_noise"]?.value, "none");
    const described = await det.describeConfiguration();
    assert.deepEqual(described["det1_noise"]?.choices, ["none", "poisson", "uniform"]);
  });
});

describe("EpicsCamera over the served sim image detector", () => {
  test("trigger acquires a frame; sum, counter and image follow", async () => {
    const cam = new EpicsCamera("SIM:image_det:", "cam", { context: ca });
    await cam.connect();
    await sim.motor.set(0.5);
    const before = await cam.arrayCounter.getValue();
    await cam.trigger();
    const expected = spotFrame(gaussian(0.5, 0, 1000, 1), sim.image_det.geometry);
    assert.equal(await cam.arrayCounter.getValue(), before + 1);
    assert.ok(Math.abs((await cam.sum.getValue()) - frameSum(expected)) < 1e-6);
    const frame = await cam.readFrame();
    assert.deepEqual([frame.rows, frame.columns], [24, 32]);
    assert.deepEqual(Array.from(frame.data), Array.from(expected));
    assert.deepEqual(keysOf(await cam.read()), ["cam_array_counter", "cam_sum"]);
  });
});
