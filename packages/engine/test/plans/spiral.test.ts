// spiral, spiral_fermat, spiral_square and their rel_ versions, against the trajectories
// Bluesky's own test-suite publishes for the same arguments.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createSimBeamline } from "@cerulean/devices/sim";
import {
  PlanValidationError,
  rel_spiral,
  rel_spiral_fermat,
  rel_spiral_square,
  spiral,
  spiral_fermat,
  spiral_square,
} from "../../src/plans/index.ts";
import { repr } from "../../src/utils/repr.ts";
import { assertClose, column, onlyStart, planEngine, planMetadata } from "./support.ts";

// Bluesky: spiral([det], m1, m2, 0, 0, 1, 1, 0.1, 1) gives 15 points (3 decimals).
const SPIRAL_X = [
  0.1, 0.2, -0.2, 0.3, -0.15, -0.15, 0.4, 0, -0.4, 0, 0.5, 0.155, -0.405, -0.405, 0.155,
];
const SPIRAL_Y = [0, 0, 0, 0, 0.26, -0.26, 0, 0.4, 0, -0.4, 0, 0.476, 0.294, -0.294, -0.476];
// Bluesky: spiral_fermat(..., 0.1, 1) gives 34 points; the first six.
const FERMAT_X = [-0.074, 0.012, 0.105, -0.197, 0.189, -0.064];
const FERMAT_Y = [0.068, -0.141, 0.137, -0.035, -0.12, 0.237];

const shift = (values: number[], by: number) => values.map((v) => v + by);

describe("spiral", () => {
  test("spiral visits Bluesky's points and records its metadata", async () => {
    const { det, motor1, motor2 } = await createSimBeamline({ seed: 1 });
    const { RE, docs } = planEngine();
    await RE.call(spiral([det], motor1, motor2, 0.5, 0.5, 1, 1, 0.1, 1, { tilt: 0 }));
    assertClose(column(docs, "motor1"), shift(SPIRAL_X, 0.5), 5e-3);
    assertClose(column(docs, "motor2"), shift(SPIRAL_Y, 0.5), 5e-3);
    const pattern = {
      x_motor: repr(motor1),
      y_motor: repr(motor2),
      x_start: 0.5,
      y_start: 0.5,
      x_range: 1,
      y_range: 1,
      dr: 0.1,
      dr_y: null,
      nth: 1,
      tilt: 0,
    };
    assert.deepEqual(planMetadata(onlyStart(docs)), {
      detectors: ["det"],
      motors: ["motor1", "motor2"],
      num_points: 15,
      num_intervals: 14,
      plan_args: { detectors: [repr(det)], ...pattern, per_step: "None" },
      extents: [
        [-0.5, 1.5],
        [-0.5, 1.5],
      ],
      plan_name: "spiral",
      plan_pattern: "spiral",
      plan_pattern_module: "bluesky.plan_patterns",
      plan_pattern_args: pattern,
      hints: {
        dimensions: [
          [["motor1"], "primary"],
          [["motor2"], "primary"],
        ],
      },
    });
  });

  test("rel_spiral is centred on the current position and returns there", async () => {
    const { det, motor1, motor2 } = await createSimBeamline({ seed: 1 });
    await motor1.set(1);
    await motor2.set(1);
    const { RE, docs } = planEngine();
    await RE.call(rel_spiral([det], motor1, motor2, 1, 1, 0.1, 1));
    assertClose(column(docs, "motor1"), shift(SPIRAL_X, 1), 5e-3);
    assertClose(column(docs, "motor2"), shift(SPIRAL_Y, 1), 5e-3);
    assert.equal(onlyStart(docs)["plan_name"], "rel_spiral");
    assert.equal(motor1.position, 1);
    assert.equal(motor2.position, 1);
  });

  test("spiral_fermat and rel_spiral_fermat visit Bluesky's 34 points", async () => {
    const { det, motor1, motor2 } = await createSimBeamline({ seed: 1 });
    const abs = planEngine();
    await abs.RE.call(spiral_fermat([det], motor1, motor2, 0, 0, 1, 1, 0.1, 1));
    const xs = column(abs.docs, "motor1");
    assert.equal(xs.length, 34);
    assertClose(xs.slice(0, 6), FERMAT_X, 5e-3);
    assertClose(column(abs.docs, "motor2").slice(0, 6), FERMAT_Y, 5e-3);
    const start = onlyStart(abs.docs);
    assert.equal(start["plan_pattern"], "spiral_fermat");
    assert.equal((start["plan_args"] as Record<string, unknown>)["factor"], 1);
    await motor1.set(1);
    const rel = planEngine();
    await rel.RE.call(rel_spiral_fermat([det], motor1, motor2, 1, 1, 0.1, 1));
    assertClose(column(rel.docs, "motor1").slice(0, 6), shift(FERMAT_X, 1), 5e-3);
    assert.equal(onlyStart(rel.docs)["plan_name"], "rel_spiral_fermat");
    assert.equal(motor1.position, 1);
  });

  test("spiral_square walks the 7 × 9 grid outwards from the centre", async () => {
    const { det, motor1, motor2 } = await createSimBeamline({ seed: 1 });
    const { RE, docs } = planEngine();
    await RE.call(spiral_square([det], motor1, motor2, 0, 0, 3, 4, 7, 9));
    const xs = column(docs, "motor1");
    const ys = column(docs, "motor2");
    assert.equal(xs.length, 63);
    // Bluesky's first ring and last points for these arguments.
    assertClose(xs.slice(0, 9), [0, 0.5, 0.5, 0, -0.5, -0.5, -0.5, 0, 0.5]);
    assertClose(ys.slice(0, 9), [0, 0, -0.5, -0.5, -0.5, 0, 0.5, 0.5, 0.5]);
    assertClose(xs.slice(-3), [0.5, 1, 1.5]);
    assertClose(ys.slice(-3), [2, 2, 2]);
    const unique = new Set(xs.map((x, i) => `${x},${ys[i]}`));
    assert.equal(unique.size, 63);
    const start = onlyStart(docs);
    assert.deepEqual(start["shape"], [9, 7]);
    assert.deepEqual(start["extents"], [
      [-2, 2],
      [-1.5, 1.5],
    ]);
    assert.deepEqual(start["hints"], {
      gridding: "rectilinear_nonsequential",
      dimensions: [
        [["motor2"], "primary"],
        [["motor1"], "primary"],
      ],
    });
    assert.equal(start["plan_pattern"], "spiral_square");
    assert.equal("plan_pattern_args" in start, false);
  });

  test("rel_spiral_square is centred on the current position", async () => {
    const { det, motor1, motor2 } = await createSimBeamline({ seed: 1 });
    await motor2.set(3);
    const { RE, docs } = planEngine();
    await RE.call(rel_spiral_square([det], motor1, motor2, 1, 1, 3, 3));
    assertClose(column(docs, "motor1"), [0, 0.5, 0.5, 0, -0.5, -0.5, -0.5, 0, 0.5]);
    assertClose(column(docs, "motor2"), [3, 3, 2.5, 2.5, 2.5, 3, 3.5, 3.5, 3.5]);
    assert.equal(motor2.position, 3);
  });

  test("spiral_fermat with a negative factor gives the same pattern turned by 180°", async () => {
    const { det, motor1, motor2 } = await createSimBeamline();
    const positive = planEngine();
    await positive.RE.call(spiral_fermat([det], motor1, motor2, 1, 2, 1, 1, 0.1, 1));
    const negative = planEngine();
    await negative.RE.call(spiral_fermat([det], motor1, motor2, 1, 2, 1, 1, 0.1, -1));
    const start = onlyStart(negative.docs);
    assert.equal((start["plan_args"] as Record<string, unknown>)["factor"], -1);
    const turn = (values: unknown[], centre: number) =>
      values.map((v) => 2 * centre - (v as number));
    assertClose(column(negative.docs, "motor1"), turn(column(positive.docs, "motor1"), 1));
    assertClose(column(negative.docs, "motor2"), turn(column(positive.docs, "motor2"), 2));
    assert.equal(column(negative.docs, "motor1").length, 34);
    for (const factor of [0, Number.NaN]) {
      assert.throws(
        () => spiral_fermat([det], motor1, motor2, 0, 0, 1, 1, 0.1, factor),
        (e: Error) =>
          e instanceof PlanValidationError && /spiral_fermat: factor must be/.test(e.message),
        String(factor),
      );
    }
  });

  test("a zero ring spacing or the same motor twice is refused", async () => {
    const { det, motor1, motor2 } = await createSimBeamline();
    assert.throws(
      () => spiral([det], motor1, motor2, 0, 0, 1, 1, 0, 1),
      (e: Error) =>
        e instanceof PlanValidationError &&
        /spiral: dr must be a number > 0; got 0/.test(e.message),
    );
    assert.throws(
      () => spiral_fermat([det], motor1, motor1, 0, 0, 1, 1, 0.1, 1),
      /y_motor must be a different motor/,
    );
    assert.throws(
      () => spiral_square([det], motor1, motor2, 0, 0, 1, 1, 1, 3),
      /x_num must be a whole number >= 2/,
    );
  });
});
