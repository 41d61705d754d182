import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DeviceStoppedError,
  LimitError,
  StatusCancelledError,
  StatusTimeoutError,
  sleep,
} from "../../src/index.ts";
import { SynAxis } from "../../src/sim/index.ts";
import {
  assertConfiguration,
  assertDescribeMatchesRead,
  assertReading,
  StatusWatcher,
} from "../../src/testing/index.ts";

describe("SynAxis", () => {
  it("reads like ophyd.sim: readback named after the motor, setpoint, config, hints", async () => {
    const motor = new SynAxis("motor1");
    await assertReading(motor, { motor1: { value: 0 }, motor1_setpoint: { value: 0 } });
    await assertConfiguration(motor, {
      motor1_velocity: { value: 1 },
      motor1_acceleration: { value: 1 },
    });
    deepStrictEqual(motor.hints, { fields: ["motor1"] });
    await assertDescribeMatchesRead(motor);
    const dataKey = (await motor.describe())["motor1"];
    equal(dataKey?.precision, 3);
    equal(dataKey?.units, "mm");
  });

  it("moves: the Status finishes with readback and setpoint at the target", async () => {
    const motor = new SynAxis("motor");
    await motor.set(2.5);
    await assertReading(motor, { motor: { value: 2.5 }, motor_setpoint: { value: 2.5 } });
    deepStrictEqual(await motor.locate(), { setpoint: 2.5, readback: 2.5 });
    equal(motor.position, 2.5);
  });

  it("a move beyond a limit fails with an error naming the limit, without moving", async () => {
    const motor = new SynAxis("motor1", { limits: { low: -10, high: 10 } });
    const status = motor.set(12);
    await rejects(Promise.resolve(status), (error: Error) => {
      ok(error instanceof LimitError);
      equal(error.message, "motor1 cannot move to 12: beyond high limit 10");
      return true;
    });
    equal(status.success, false);
    await rejects(motor.checkValue(-11), /beyond low limit -10/);
    await motor.checkValue(3);
    equal(motor.position, 0);
    deepStrictEqual((await motor.describe())["motor1"]?.limits, {
      control: { low: -10, high: 10 },
    });
  });

  it("with a velocity the move takes time and reports progress to watchers", async () => {
    const motor = new SynAxis("motor", { velocity: 20, updatePeriod: 0.01 });
    const watcher = new StatusWatcher(motor.set(1));
    equal(watcher.status.done, false);
    const midway = await watcher.waitFor((u) => u.current > 0 && u.current < 1);
    equal(midway.initial, 0);
    equal(midway.target, 1);
    equal(midway.unit, "mm");
    ok((midway.fraction ?? -1) > 0 && (midway.fraction ?? 2) < 1);
    ok((midway.timeRemaining ?? -1) >= 0);
    await watcher.status;
    equal(watcher.updates.at(-1)?.current, 1);
    equal(watcher.updates.at(-1)?.fraction, 0);
  });

  it("a move slower than its timeout fails with StatusTimeoutError and stops the motor", async () => {
    const motor = new SynAxis("motor", { velocity: 1, updatePeriod: 0.01 });
    await rejects(Promise.resolve(motor.set(100, { timeout: 0.03 })), (error: Error) => {
      ok(error instanceof StatusTimeoutError);
      equal(error.message, "motor set(100) did not finish within 0.03 s");
      return true;
    });
    const stoppedAt = motor.position;
    await sleep(0.03);
    equal(motor.position, stoppedAt);
    ok(stoppedAt < 100);
  });

  it("cancelling the Status stops the move where it is", async () => {
    const motor = new SynAxis("motor", { velocity: 10, updatePeriod: 0.01 });
    const status = motor.set(5);
    await sleep(0.02);
    status.cancel("operator");
    await rejects(Promise.resolve(status), StatusCancelledError);
    const stoppedAt = motor.position;
    await sleep(0.03);
    equal(motor.position, stoppedAt);
  });

  it("stop(): the move ends early, successfully unless success is false", async () => {
    const motor = new SynAxis("motor", { velocity: 10, updatePeriod: 0.01 });
    const gentle = motor.set(5);
    await sleep(0.02);
    await motor.stop();
    await gentle;
    ok(motor.position < 5);

    const hard = motor.set(-5);
    await sleep(0.02);
    await motor.stop({ success: false });
    await rejects(Promise.resolve(hard), (error: Error) => {
      ok(error instanceof DeviceStoppedError);
      ok(error.message.startsWith("motor set(-5) was stopped at"));
      return true;
    });
  });

  it("stop() right after set() stops that move before it starts", async () => {
    const motor = new SynAxis("m", { velocity: 10 });
    const status = motor.set(3);
    await motor.stop({ success: false });
    await rejects(Promise.resolve(status), (error: Error) => {
      ok(error instanceof DeviceStoppedError);
      equal(error.message, "m set(3) was stopped at 0");
      return true;
    });
    deepStrictEqual(await motor.locate(), { setpoint: 0, readback: 0 });

    const gentle = motor.set(2);
    await motor.stop();
    await gentle;
    equal(motor.position, 0);
  });

  it("after stop() the setpoint follows the readback", async () => {
    const motor = new SynAxis("motor", { velocity: 10, updatePeriod: 0.01 });
    const status = motor.set(5);
    await sleep(0.02);
    await motor.stop();
    await status;
    const { setpoint, readback } = await motor.locate();
    ok(readback > 0 && readback < 5);
    equal(setpoint, readback);
  });

  it("equal limits mean no limits, as in ophyd", async () => {
    const motor = new SynAxis("motor", { limits: { low: 0, high: 0 } });
    await motor.set(5);
    equal(motor.position, 5);
  });

  it("a move refused by a limit leaves a move in progress going", async () => {
    const motor = new SynAxis("motor", {
      velocity: 10,
      updatePeriod: 0.01,
      limits: { low: -1, high: 1 },
    });
    const first = motor.set(0.3);
    await rejects(Promise.resolve(motor.set(12)), LimitError);
    await first;
    equal(motor.position, 0.3);
  });

  it("a new move replaces one in progress, which fails as stopped", async () => {
    const motor = new SynAxis("motor", { velocity: 10, updatePeriod: 0.01 });
    const first = motor.set(5);
    await sleep(0.02);
    const second = motor.set(0.1);
    await rejects(Promise.resolve(first), DeviceStoppedError);
    await second;
    equal(motor.position, 0.1);
  });

  it("readbackFunc shapes the readback (jittery motors)", async () => {
    const motor = new SynAxis("jittery", { readbackFunc: (x) => x + 0.25 });
    await motor.set(1);
    deepStrictEqual(await motor.locate(), { setpoint: 1, readback: 1.25 });
  });

  it("delay with eventsPerMove steps the readback", async () => {
    const motor = new SynAxis("motor", { delay: 0.02, eventsPerMove: 4 });
    const seen: number[] = [];
    motor.readback.subscribeValue((v) => seen.push(v));
    await motor.set(4);
    deepStrictEqual(seen, [0, 1, 2, 3, 4]);
  });

  it("subscribers of the readback see each step with timestamps", async () => {
    const motor = new SynAxis("m", { velocity: 10, updatePeriod: 0.005 });
    const times: number[] = [];
    motor.readback.subscribe((r) => times.push(r["m"]?.timestamp ?? 0));
    await motor.set(0.2);
    ok(times.length > 2);
    ok(times.every((t, i) => i === 0 || t >= (times[i - 1] ?? 0)));
  });
});
