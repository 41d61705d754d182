// scan, rel_scan, inner_product_scan, relative_inner_product_scan, x2x_scan on the sim beamline.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createSimBeamline } from "@cerulean/devices/sim";
import { bps, type Plan, RequestAbort, RunEngineInterrupted } from "../../src/index.ts";
import { one_1d_step, one_nd_step } from "../../src/plan-stubs/per-step.ts";
import {
  inner_product_scan,
  PlanValidationError,
  rel_scan,
  relative_inner_product_scan,
  scan,
  x2x_scan,
} from "../../src/plans/index.ts";
import { repr } from "../../src/utils/repr.ts";
import { delay, docsNamed } from "../helpers.ts";
import { assertClose, column, onlyStart, planEngine, planMetadata, setsOf } from "./support.ts";

describe("scan", () => {
  test("scan([det], motor, -1, 1, 5) visits 5 evenly spaced points with Bluesky's metadata", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    const { RE, docs, msgs } = planEngine();
    const result = await RE.call(scan([det], motor, -1, 1, 5));
    const start = onlyStart(docs);
    assert.equal(result.planResult, start["uid"]);
    assertClose(column(docs, "motor"), [-1, -0.5, 0, 0.5, 1]);
    assertClose(
      column(docs, "det"),
      [-1, -0.5, 0, 0.5, 1].map((x) => Math.exp(-(x * x) / 2)),
    );
    assert.deepEqual(setsOf(msgs, "motor"), [-1, -0.5, 0, 0.5, 1]);
    // The oracle: what Bluesky's scan puts in the start document for this call (device
    // reprs are ours: Python would write its own repr of the same device).
    assert.deepEqual(planMetadata(start), {
      detectors: ["det"],
      motors: ["motor"],
      num_points: 5,
      num_intervals: 4,
      plan_args: {
        detectors: [repr(det)],
        num: 5,
        args: [repr(motor), -1, 1],
        per_step: "None",
      },
      plan_name: "scan",
      plan_pattern: "inner_product",
      plan_pattern_module: "bluesky.plan_patterns",
      plan_pattern_args: { num: 5, args: [repr(motor), -1, 1] },
      hints: { dimensions: [[["motor"], "primary"]] },
    });
    const [stop] = docsNamed(docs, "stop");
    assert.deepEqual(stop?.["num_events"], { primary: 5 });
    assert.equal(stop?.["exit_status"], "success");
  });

  test("each step is checkpoint, set, wait, then trigger_and_read of detectors and motor", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    const { RE, msgs } = planEngine();
    await RE.call(scan([det], motor, 0, 1, 2));
    const commands = msgs.map((m) => m.command);
    // det is triggered; the motor is only read. Staging waits for the stage statuses.
    const step = ["checkpoint", "set", "wait", "trigger", "wait", "create", "read", "read", "save"];
    assert.deepEqual(commands, [
      "stage",
      "stage",
      "wait",
      "open_run",
      ...step,
      ...step,
      "close_run",
      "unstage",
      "unstage",
      "wait",
    ]);
  });

  test("several motors move together; num may be an option; user md wins", async () => {
    const { det4, motor1, motor2 } = await createSimBeamline({ seed: 1 });
    const { RE, docs } = planEngine();
    await RE.call(
      scan([det4], motor1, 0, 1, motor2, 10, 20, {
        num: 3,
        md: { sample: "Si", plan_name: "mine" },
      }),
    );
    const start = onlyStart(docs);
    assertClose(column(docs, "motor1"), [0, 0.5, 1]);
    assertClose(column(docs, "motor2"), [10, 15, 20]);
    assert.equal(start["sample"], "Si");
    assert.equal(start["plan_name"], "mine");
    assert.deepEqual(start["motors"], ["motor1", "motor2"]);
    // One dimension made of both motors: they move along one axis.
    assert.deepEqual(start["hints"], { dimensions: [[["motor1", "motor2"], "primary"]] });
    assert.deepEqual((start["plan_args"] as Record<string, unknown>)["args"], [
      repr(motor1),
      0,
      1,
      repr(motor2),
      10,
      20,
    ]);
  });

  test("user hints are merged over the derived dimensions", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    const { RE, docs } = planEngine();
    await RE.call(scan([det], motor, 0, 1, 2, { md: { hints: { gridding: "x" } } }));
    assert.deepEqual(onlyStart(docs)["hints"], {
      dimensions: [[["motor"], "primary"]],
      gridding: "x",
    });
  });

  test("a 1-D per_step (detectors, motor, step) and an N-D one both drive the scan", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    const seen: unknown[] = [];
    function* custom1d(
      detectors: readonly unknown[],
      motor: unknown,
      step: unknown,
    ): Plan<unknown> {
      seen.push(step);
      return yield* one_1d_step(detectors, motor, step);
    }
    const { RE, docs } = planEngine();
    await RE.call(scan([det], motor, 0, 2, 3, { per_step: custom1d }));
    assert.deepEqual(seen, [0, 1, 2]);
    assert.equal((onlyStart(docs)["plan_args"] as Record<string, unknown>)["per_step"], "custom1d");
    const steps: unknown[] = [];
    const { RE: RE2, docs: docs2 } = planEngine();
    await RE2.call(
      scan([det], motor, 0, 2, 3, {
        per_step: (detectors, step, cache) => {
          steps.push([...step.values()]);
          return one_nd_step(detectors, step, cache);
        },
      }),
    );
    assert.deepEqual(steps, [[0], [1], [2]]);
    assertClose(column(docs2, "motor"), [0, 1, 2]);
  });

  test("a 1-D per_step with two motors is refused", async () => {
    const { det, motor1, motor2 } = await createSimBeamline();
    assert.throws(
      () => scan([det], motor1, 0, 1, motor2, 0, 1, 3, { per_step: one_1d_step }),
      (err: Error) => err instanceof PlanValidationError && /per_step/.test(err.message),
    );
  });

  test("bad arguments fail before anything moves, naming the argument", async () => {
    const { det, motor, sig } = await createSimBeamline();
    const cases: [() => unknown, RegExp][] = [
      [() => scan([det], motor, -1, 1), /scan: num must be given/],
      [() => scan([det], motor, -1, 1, -3), /scan: num must be a whole number >= 1; got -3/],
      [() => scan([det], motor, -1, 1, 2.5), /num must be a whole number/],
      [() => scan([det], "motor", -1, 1, 3), /scan: motor 1 must be a movable device/],
      [() => scan([det], motor, "a", 1, 3), /start of motor 1 must be a finite number/],
      [
        () => scan([det], motor, 0, 1, motor, 0, 1, 3),
        /motor 2 must be a motor not already listed/,
      ],
      [() => scan(det as never, motor, 0, 1, 3), /detectors must be a list/],
      [() => scan([motor, 3] as never, motor, 0, 1, 3), /detectors\[1\] must be a readable device/],
      [
        () => scan([det], motor, 0, 1, 3, { nmu: 3 }),
        /option "nmu" must be one of num, per_step, md/,
      ],
      [() => rel_scan([det], motor, 0, 1), /rel_scan: num must be given/],
      [() => scan([det], sig, 0, 1, 3, { per_step: 5 as never }), /per_step must be a function/],
    ];
    for (const [build, message] of cases) {
      assert.throws(
        build,
        (err: Error) => err instanceof PlanValidationError && message.test(err.message),
        String(message),
      );
    }
    assert.equal(motor.position, 0);
  });
});

describe("rel_scan", () => {
  test("moves relative to the start position, returns there, metadata plan_name rel_scan", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    await motor.set(2);
    const { RE, docs, msgs } = planEngine();
    await RE.call(rel_scan([det], motor, -1, 1, 3));
    const start = onlyStart(docs);
    assertClose(column(docs, "motor"), [1, 2, 3]);
    assert.equal(start["plan_name"], "rel_scan");
    assert.equal(start["plan_pattern"], "inner_product");
    // plan_args keep the relative values the user typed.
    assert.deepEqual((start["plan_args"] as Record<string, unknown>)["args"], [repr(motor), -1, 1]);
    assert.deepEqual(setsOf(msgs, "motor"), [1, 2, 3, 2]);
    assert.equal(motor.position, 2);
    // The position was located before the first move.
    const firstSet = msgs.findIndex((m) => m.command === "set");
    assert.equal(msgs[firstSet - 1]?.command, "locate");
  });

  test("returns the motor to where it started after a failure", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    await motor.set(0.5);
    function* failing(
      detectors: readonly unknown[],
      step: ReadonlyMap<unknown, unknown>,
      cache: Map<unknown, unknown>,
    ): Plan<unknown> {
      yield* one_nd_step(detectors, step, cache);
      // Steps carry the relative positions; the messages are made absolute on the way out.
      if (step.get(motor) === 1) throw new Error("detector overheated");
      return undefined;
    }
    const { RE, docs } = planEngine();
    await assert.rejects(
      RE.call(rel_scan([det], motor, 0, 2, 3, { per_step: failing })),
      /detector overheated/,
    );
    assert.equal(motor.position, 0.5);
    const [stop] = docsNamed(docs, "stop");
    assert.equal(stop?.["exit_status"], "fail");
    onlyStart(docs);
  });

  test("returns the motor to where it started after an abort", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    await motor.set(-1);
    function* slow(
      detectors: readonly unknown[],
      step: ReadonlyMap<unknown, unknown>,
      cache: Map<unknown, unknown>,
    ): Plan<unknown> {
      yield* one_nd_step(detectors, step, cache);
      yield* bps.sleep(10);
      return undefined;
    }
    const { RE, docs } = planEngine();
    const call = RE.call(rel_scan([det], motor, 1, 3, 3, { per_step: slow }));
    await delay(50);
    assert.equal(motor.position, 0);
    const result = await RE.abort("beam lost");
    await call;
    assert.equal(result.exitStatus, "abort");
    assert.ok(result.exception instanceof RequestAbort);
    assert.equal(motor.position, -1);
    const [stop] = docsNamed(docs, "stop");
    assert.equal(stop?.["exit_status"], "abort");
    assert.equal(stop?.["reason"], "beam lost");
    onlyStart(docs);
  });
});

describe("rel_scan across a pause", () => {
  test("pauses at a checkpoint, resumes where it was and still returns home", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    await motor.set(10);
    const { RE, docs } = planEngine();
    let paused = false;
    RE.subscribe((...[name]) => {
      if (name === "event" && !paused) {
        paused = true;
        RE.requestPause({ defer: true });
      }
    });
    await assert.rejects(RE.call(rel_scan([det], motor, 0, 3, 4)), RunEngineInterrupted);
    assert.equal(RE.state, "paused");
    await RE.resume();
    assertClose(column(docs, "motor"), [10, 11, 12, 13]);
    assert.equal(motor.position, 10);
    assert.deepEqual(docsNamed(docs, "stop")[0]?.["num_events"], { primary: 4 });
    onlyStart(docs);
  });
});

describe("inner_product_scan, relative_inner_product_scan, x2x_scan", () => {
  test("inner_product_scan takes num first and records its own plan_name", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    const { RE, docs } = planEngine();
    await RE.call(inner_product_scan([det], 3, motor, 0, 1));
    const start = onlyStart(docs);
    assert.equal(start["plan_name"], "inner_product_scan");
    assert.equal(start["num_points"], 3);
    assertClose(column(docs, "motor"), [0, 0.5, 1]);
  });

  test("relative_inner_product_scan is relative and resets", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    await motor.set(1);
    const { RE, docs } = planEngine();
    await RE.call(relative_inner_product_scan([det], 2, motor, 0, 1));
    assert.equal(onlyStart(docs)["plan_name"], "relative_inner_product_scan");
    assertClose(column(docs, "motor"), [1, 2]);
    assert.equal(motor.position, 1);
  });

  test("x2x_scan moves motor2 half as far as motor1, relative, with its own plan_args", async () => {
    const { det, motor1, motor2 } = await createSimBeamline({ seed: 1 });
    await motor1.set(1);
    await motor2.set(10);
    const { RE, docs } = planEngine();
    await RE.call(x2x_scan([det], motor1, motor2, -2, 2, 3));
    const start = onlyStart(docs);
    assertClose(column(docs, "motor1"), [-1, 1, 3]);
    assertClose(column(docs, "motor2"), [9, 10, 11]);
    assert.equal(motor1.position, 1);
    assert.equal(motor2.position, 10);
    assert.equal(start["plan_name"], "x2x_scan");
    assert.deepEqual(start["plan_args"], {
      detectors: [repr(det)],
      motor1: "motor1",
      motor2: "motor2",
      start: -2,
      stop: 2,
      num: 3,
      per_step: "None",
    });
    assert.deepEqual(start["plan_pattern_args"], {
      num: 3,
      args: [repr(motor1), -2, 2, repr(motor2), -1, 1],
    });
  });
});
