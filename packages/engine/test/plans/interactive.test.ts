// tweak (interactive), ramp_plan (data while ramping) and fly (flyers).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Status } from "@cerulean/devices/protocols";
import { createSimBeamline } from "@cerulean/devices/sim";
import { bps, type Plan } from "../../src/index.ts";
import { fly, PlanValidationError, RampFail, ramp_plan, tweak } from "../../src/plans/index.ts";
import { repr } from "../../src/utils/repr.ts";
import { docsNamed } from "../helpers.ts";
import { assertClose, column, onlyStart, planEngine, planMetadata } from "./support.ts";

describe("tweak", () => {
  test("reads, asks, moves by the step typed; Enter keeps it; anything else ends", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    const answers = ["", "0.5", "q"];
    const prompts: string[] = [];
    const { RE, docs } = planEngine({
      input: async (prompt) => {
        prompts.push(prompt);
        return answers.shift() ?? "q";
      },
    });
    await RE.call(tweak(det, "det", motor, 1));
    assertClose(column(docs, "motor"), [0, 1, 1.5]);
    assert.equal(prompts[0], "motor, 0, 1, (1) ");
    assert.equal(prompts[2], `motor, 1.5, ${Number(Math.exp(-1.125).toPrecision(3))}, (0.5) `);
    assert.equal(motor.position, 1.5);
    assert.deepEqual(planMetadata(onlyStart(docs)), {
      detectors: ["det"],
      motors: ["motor"],
      plan_args: { detector: repr(det), target_field: "det", motor: repr(motor), step: 1 },
      plan_name: "tweak",
      hints: { dimensions: [[["motor"], "primary"]] },
    });
  });

  test("a detector that cannot be read is refused", async () => {
    const { motor } = await createSimBeamline();
    assert.throws(
      () => tweak({ name: "x" }, "x", motor, 1),
      (e: Error) => e instanceof PlanValidationError && /tweak: detector\[0\]/.test(e.message),
    );
  });
});

describe("ramp_plan", () => {
  test("takes points until the ramp's Status is done, monitoring a signal", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1, velocity: 10 });
    function* go(): Plan<Status> {
      return yield* bps.abs_set(motor, 2);
    }
    const { RE, docs } = planEngine();
    await RE.call(
      ramp_plan(go(), motor.readback, () => bps.trigger_and_read([det, motor]), {
        period: 0.02,
        md: { sample: "Si" },
      }),
    );
    const start = onlyStart(docs);
    assert.equal(start["plan_name"], "ramp_plan");
    assert.equal(start["sample"], "Si");
    const xs = column(docs, "motor") as number[];
    // A point before the ramp, some during, one after.
    assert.equal(xs[0], 0);
    assert.equal(xs[xs.length - 1], 2);
    assert.ok(xs.length >= 4, `${xs.length} points`);
    assert.ok(
      xs.some((x) => x > 0 && x < 2),
      "points taken while moving",
    );
    const monitored = column(docs, "motor", "motor_monitor");
    assert.ok(monitored.length > 0, "the monitor stream has events");
  });

  test("fails with RampFail when the ramp outlasts the timeout; the run is closed as failed", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1, velocity: 1 });
    const { RE, docs } = planEngine();
    const go = () => bps.abs_set(motor, 5);
    await assert.rejects(
      RE.call(ramp_plan(go, motor.readback, () => bps.trigger_and_read([det]), false, 0.05)),
      (e: Error) => e instanceof RampFail,
    );
    assert.equal(docsNamed(docs, "stop")[0]?.["exit_status"], "fail");
    onlyStart(docs);
  });

  test("bad arguments are refused", async () => {
    const { motor } = await createSimBeamline();
    assert.throws(
      () => ramp_plan(() => bps.null() as never, motor.readback, 5 as never),
      /inner_plan_func must be a function/,
    );
    const bads = [
      { timeout: -1 },
      { period: -0.5 },
      { period: Number.NaN },
      { timeout: Number.NaN },
    ];
    for (const bad of bads) {
      assert.throws(
        () =>
          ramp_plan(
            () => bps.null() as never,
            motor.readback,
            () => bps.null(),
            bad,
          ),
        (e: Error) =>
          e instanceof PlanValidationError && /must be a number of seconds >= 0/.test(e.message),
        JSON.stringify(bad),
      );
    }
  });

  test("timeout 0 fails with RampFail right after the first point taken while ramping", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1, velocity: 1 });
    const { RE, docs } = planEngine();
    await assert.rejects(
      RE.call(
        ramp_plan(
          () => bps.abs_set(motor, 5),
          motor.readback,
          () => bps.trigger_and_read([det]),
          {
            take_pre_data: false,
            timeout: 0,
          },
        ),
      ),
      (e: Error) => e instanceof RampFail,
    );
    onlyStart(docs);
    assert.equal(column(docs, "det").length, 1);
    assert.equal(docsNamed(docs, "stop")[0]?.["exit_status"], "fail");
  });

  test("period 0 takes points as fast as possible (no sleeps) until the ramp is done", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1, velocity: 10 });
    const { RE, docs, msgs } = planEngine();
    await RE.call(
      ramp_plan(
        () => bps.abs_set(motor, 0.1),
        motor.readback,
        () => bps.trigger_and_read([det, motor]),
        {
          period: 0,
        },
      ),
    );
    onlyStart(docs);
    assert.equal(docsNamed(docs, "stop")[0]?.["exit_status"], "success");
    const xs = column(docs, "motor") as number[];
    assert.ok(xs.length >= 2, `${xs.length} points`);
    assert.equal(xs[xs.length - 1], 0.1);
    assert.ok(!msgs.some((m) => m.command === "sleep"), "no sleep between points");
  });
});

describe("fly", () => {
  test("kicks off, completes and collects the flyers into their streams", async () => {
    const { flyer1 } = await createSimBeamline({ seed: 1 });
    const { RE, docs, msgs } = planEngine();
    const result = await RE.call(fly([flyer1], { md: { sample: "Si" } }));
    const start = onlyStart(docs);
    assert.equal(result.planResult, start["uid"]);
    assert.deepEqual(planMetadata(start), { plan_name: "fly", sample: "Si" });
    assert.deepEqual(
      msgs.map((m) => m.command),
      ["open_run", "kickoff", "wait", "complete", "wait", "collect", "close_run"],
    );
    assert.deepEqual(docsNamed(docs, "stop")[0]?.["num_events"], { flyer1: 20 });
  });

  test("a device that cannot fly is refused", async () => {
    const { det } = await createSimBeamline();
    assert.throws(() => fly([det]), /fly: flyers\[0\] must be a flyable device/);
  });
});
