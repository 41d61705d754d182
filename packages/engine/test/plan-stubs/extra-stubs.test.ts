// The plan stubs added with the plan library: one_shot, one_1d_step, move_per_step,
// one_nd_step, rel_set, mvr/movr, caching_repeater, collect_while_completing.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createSimBeamline } from "@cerulean/devices/sim";
import { bps, msg, type Plan, PlanArgumentError } from "../../src/index.ts";
import { caching_repeater, collect_while_completing } from "../../src/plan-stubs/fly-helpers.ts";
import { move_per_step, one_1d_step, one_shot } from "../../src/plan-stubs/per-step.ts";
import { movr, mvr, rel_set } from "../../src/plan-stubs/relative.ts";
import { run_wrapper } from "../../src/preprocessors/run-wrapper.ts";
import { assertWellFormed, docsNamed } from "../helpers.ts";
import { column, planEngine, setsOf } from "../plans/support.ts";

describe("per-step stubs", () => {
  test("one_shot: checkpoint, then one event of the detectors", async () => {
    const { det } = await createSimBeamline({ seed: 1 });
    const { RE, docs, msgs } = planEngine();
    await RE.call(run_wrapper(one_shot([det])));
    assert.equal(msgs[1]?.command, "checkpoint");
    assert.equal(docsNamed(docs, "event").length, 1);
    assertWellFormed(docs);
  });

  test("one_1d_step moves, waits and returns the readings of detectors and motor", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    const { RE, msgs } = planEngine();
    const result = await RE.call(
      run_wrapper(
        (function* (): Plan<unknown> {
          const readings = yield* one_1d_step([det], motor, 0);
          assert.deepEqual(Object.keys(readings).sort(), ["det", "motor", "motor_setpoint"]);
          assert.equal(readings["det"]?.value, 1);
          return readings;
        })(),
      ),
    );
    assert.equal(result.exitStatus, "success");
    const [, checkpoint, set, wait] = msgs;
    assert.deepEqual(
      [checkpoint?.command, set?.command, wait?.command],
      ["checkpoint", "set", "wait"],
    );
    assert.equal(set?.kwargs["group"], wait?.kwargs["group"]);
  });

  test("move_per_step sets only the motors whose position changed", async () => {
    const { motor1, motor2 } = await createSimBeamline();
    const cache = new Map<unknown, unknown>();
    const { RE, msgs } = planEngine();
    await RE.call(
      (function* (): Plan<void> {
        yield* move_per_step(
          new Map([
            [motor1, 1],
            [motor2, 2],
          ]),
          cache,
        );
        yield* move_per_step(
          new Map([
            [motor1, 1],
            [motor2, 3],
          ]),
          cache,
        );
      })(),
    );
    assert.deepEqual(setsOf(msgs, "motor1"), [1]);
    assert.deepEqual(setsOf(msgs, "motor2"), [2, 3]);
    assert.equal(motor2.position, 3);
  });
});

describe("relative motion stubs", () => {
  test("rel_set moves by an offset from the current position", async () => {
    const { motor } = await createSimBeamline();
    await motor.set(2);
    const { RE } = planEngine();
    await RE.call(rel_set(motor, 0.5, { wait: true }));
    assert.equal(motor.position, 2.5);
  });

  test("mvr moves several motors by offsets at once and waits; movr is the same", async () => {
    const { motor1, motor2 } = await createSimBeamline();
    await motor1.set(1);
    await motor2.set(-1);
    const { RE, msgs } = planEngine();
    await RE.call(mvr(motor1, 1, motor2, -1));
    assert.equal(motor1.position, 2);
    assert.equal(motor2.position, -2);
    const sets = msgs.filter((m) => m.command === "set");
    assert.equal(sets[0]?.kwargs["group"], sets[1]?.kwargs["group"]);
    await RE.call(movr(motor1, -2, { timeout: 5 }));
    assert.equal(motor1.position, 0);
    assert.equal(movr, mvr);
    assert.throws(() => mvr(), PlanArgumentError);
  });
});

describe("repeating and flying stubs", () => {
  test("caching_repeater replays the messages of one plan n times", async () => {
    const { RE, msgs } = planEngine();
    await RE.call(caching_repeater(3, [msg("null"), msg("checkpoint")]));
    assert.deepEqual(
      msgs.map((m) => m.command),
      ["null", "checkpoint", "null", "checkpoint", "null", "checkpoint"],
    );
  });

  test("collect_while_completing collects until the flyers are done", async () => {
    const { flyer1 } = await createSimBeamline({ seed: 1 });
    const { RE, docs, msgs } = planEngine();
    await RE.call(
      run_wrapper(
        (function* (): Plan<void> {
          yield* bps.kickoff(flyer1, { wait: true });
          yield* collect_while_completing([flyer1], [flyer1], { flush_period: 0.05 });
        })(),
      ),
    );
    assert.ok(
      msgs.filter((m) => m.command === "collect").length >= 2,
      "collected while completing",
    );
    assert.equal(column(docs, "motor", "flyer1").length + pageRows(docs), 20);
    assertWellFormed(docs);
  });
});

function pageRows(docs: ReturnType<typeof planEngine>["docs"]): number {
  return docsNamed(docs, "event_page").reduce((n, p) => n + (p["seq_num"] as number[]).length, 0);
}
