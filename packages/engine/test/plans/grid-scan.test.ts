// grid_scan, rel_grid_scan, list_scan, list_grid_scan and their rel_ versions.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createSimBeamline } from "@cerulean/devices/sim";
import {
  grid_scan,
  list_grid_scan,
  list_scan,
  outer_product_scan,
  PlanValidationError,
  rel_grid_scan,
  rel_list_grid_scan,
  rel_list_scan,
} from "../../src/plans/index.ts";
import { repr } from "../../src/utils/repr.ts";
import { docsNamed } from "../helpers.ts";
import { assertClose, column, onlyStart, planEngine, planMetadata, setsOf } from "./support.ts";

describe("grid_scan", () => {
  test("3 × 2 grid, first motor slowest, with Bluesky's metadata", async () => {
    const { det4, motor1, motor2 } = await createSimBeamline({ seed: 1 });
    const { RE, docs, msgs } = planEngine();
    await RE.call(grid_scan([det4], motor1, 1, 3, 3, motor2, 10, 20, 2));
    assertClose(column(docs, "motor1"), [1, 1, 2, 2, 3, 3]);
    assertClose(column(docs, "motor2"), [10, 20, 10, 20, 10, 20]);
    // A motor that stays put is not set again (one_nd_step's position cache).
    assert.deepEqual(setsOf(msgs, "motor1"), [1, 2, 3]);
    const args = [repr(motor1), 1, 3, 3, repr(motor2), 10, 20, 2, false];
    assert.deepEqual(planMetadata(onlyStart(docs)), {
      detectors: ["det4"],
      motors: ["motor1", "motor2"],
      num_points: 6,
      num_intervals: 5,
      shape: [3, 2],
      extents: [
        [1, 3],
        [10, 20],
      ],
      snaking: [false, false],
      plan_args: { detectors: [repr(det4)], args, per_step: "None" },
      plan_name: "grid_scan",
      plan_pattern: "outer_product",
      plan_pattern_args: { args },
      plan_pattern_module: "bluesky.plan_patterns",
      hints: {
        gridding: "rectilinear",
        dimensions: [
          [["motor1"], "primary"],
          [["motor2"], "primary"],
        ],
      },
    });
    assert.deepEqual(docsNamed(docs, "stop")[0]?.["num_events"], { primary: 6 });
  });

  test("snake_axes: true reverses the fast axis on every other pass", async () => {
    const { det4, motor1, motor2, motor3 } = await createSimBeamline({ seed: 1 });
    const { RE, docs } = planEngine();
    await RE.call(
      grid_scan([det4], motor1, 1, 2, 2, motor2, 10, 20, 2, motor3, 0, 1, 2, { snake_axes: true }),
    );
    assertClose(column(docs, "motor1"), [1, 1, 1, 1, 2, 2, 2, 2]);
    assertClose(column(docs, "motor2"), [10, 10, 20, 20, 20, 20, 10, 10]);
    // motor3 reverses on each of its passes, counted over the whole scan.
    assertClose(column(docs, "motor3"), [0, 1, 1, 0, 0, 1, 1, 0]);
    const start = onlyStart(docs);
    assert.deepEqual(start["snaking"], [false, true, true]);
  });

  test("the older form with per-axis snake flags, and a list of snake_axes", async () => {
    const { det4, motor1, motor2 } = await createSimBeamline({ seed: 1 });
    const old = planEngine();
    await old.RE.call(outer_product_scan([det4], motor1, 1, 3, 3, motor2, 10, 20, 2, true));
    assertClose(column(old.docs, "motor2"), [10, 20, 20, 10, 10, 20]);
    assert.equal(onlyStart(old.docs)["plan_name"], "grid_scan");
    const listed = planEngine();
    await listed.RE.call(
      grid_scan([det4], motor1, 1, 3, 3, motor2, 10, 20, 2, { snake_axes: [motor2] }),
    );
    assertClose(column(listed.docs, "motor2"), [10, 20, 20, 10, 10, 20]);
  });

  test("rel_grid_scan is relative to the start positions and returns there", async () => {
    const { det4, motor1, motor2 } = await createSimBeamline({ seed: 1 });
    await motor1.set(5);
    await motor2.set(8);
    const { RE, docs } = planEngine();
    await RE.call(rel_grid_scan([det4], motor1, 1, 3, 3, motor2, 10, 20, 2, { snake_axes: true }));
    assertClose(column(docs, "motor1"), [6, 6, 7, 7, 8, 8]);
    assertClose(column(docs, "motor2"), [18, 28, 28, 18, 18, 28]);
    assert.equal(onlyStart(docs)["plan_name"], "rel_grid_scan");
    assert.equal(motor1.position, 5);
    assert.equal(motor2.position, 8);
  });

  test("bad grids are refused before anything moves", async () => {
    const { det4, motor1, motor2 } = await createSimBeamline();
    const cases: [() => unknown, RegExp][] = [
      [
        () => grid_scan([det4], motor1, 1, 3, 3, motor2, 10, 20),
        /grid_scan: the arguments after detectors/,
      ],
      [() => grid_scan([det4], motor1, 1, 3, -3), /num of motor 1 must be a whole number >= 1/],
      [() => grid_scan([det4], motor1, 1, 3, 3, 5, 10, 20, 2), /motor is out of place/],
      [
        () => grid_scan([det4], motor1, 1, 3, 3, motor1, 1, 2, 2),
        /motor 2 must be a motor not already listed/,
      ],
      [
        () => grid_scan([det4], motor1, 1, 3, 3, motor2, 1, 2, 2, { snake_axes: [motor1] }),
        /snake_axes must be a list without the first \(slowest\) motor/,
      ],
      [
        () => grid_scan([det4], motor1, 1, 3, 3, motor2, 1, 2, 2, true, { snake_axes: true }),
        /snake_axes must be omitted when the arguments carry per-axis snake flags/,
      ],
    ];
    for (const [build, message] of cases) {
      assert.throws(
        build,
        (err: Error) => err instanceof PlanValidationError && message.test(err.message),
        String(message),
      );
    }
    assert.equal(motor1.position, 0);
  });
});

describe("list_scan and list_grid_scan", () => {
  test("list_scan zips the lists and records Bluesky's metadata", async () => {
    const { det, motor1, motor2 } = await createSimBeamline({ seed: 1 });
    const { RE, docs } = planEngine();
    await RE.call(list_scan([det], motor1, [6, 7, 8], motor2, [18, 28, 38]));
    assertClose(column(docs, "motor1"), [6, 7, 8]);
    assertClose(column(docs, "motor2"), [18, 28, 38]);
    const args = [repr(motor1), [6, 7, 8], repr(motor2), [18, 28, 38]];
    assert.deepEqual(planMetadata(onlyStart(docs)), {
      detectors: ["det"],
      motors: ["motor1", "motor2"],
      num_points: 3,
      num_intervals: 2,
      plan_args: { detectors: [repr(det)], args, per_step: "None" },
      plan_name: "list_scan",
      plan_pattern: "inner_list_product",
      plan_pattern_module: "bluesky.plan_patterns",
      plan_pattern_args: { args },
      hints: { dimensions: [[["motor1", "motor2"], "primary"]] },
    });
  });

  test("rel_list_scan adds the start position and returns there", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    await motor.set(-4);
    const { RE, docs } = planEngine();
    await RE.call(rel_list_scan([det], motor, [1, 2, 3]));
    assertClose(column(docs, "motor"), [-3, -2, -1]);
    assert.equal(onlyStart(docs)["plan_name"], "rel_list_scan");
    assert.equal(motor.position, -4);
  });

  test("list_grid_scan visits every combination; snake_axes snakes", async () => {
    const { det, motor1, motor2 } = await createSimBeamline({ seed: 1 });
    const { RE, docs } = planEngine();
    await RE.call(
      list_grid_scan([det], motor1, [6, 7, 8], motor2, [18, 28, 38], { snake_axes: true }),
    );
    assertClose(column(docs, "motor1"), [6, 6, 6, 7, 7, 7, 8, 8, 8]);
    assertClose(column(docs, "motor2"), [18, 28, 38, 38, 28, 18, 18, 28, 38]);
    const start = onlyStart(docs);
    assert.deepEqual(start["shape"], [3, 3]);
    assert.deepEqual(start["extents"], [
      [6, 8],
      [18, 38],
    ]);
    assert.equal(start["snake_axes"], true, "the value itself, as bluesky records it");
    assert.equal(start["plan_pattern"], "outer_list_product");
    assert.deepEqual(start["plan_pattern_args"], {
      args: [repr(motor1), [6, 7, 8], repr(motor2), [18, 28, 38]],
      snake_axes: true,
    });
    assert.deepEqual(start["hints"], {
      dimensions: [
        [["motor1"], "primary"],
        [["motor2"], "primary"],
      ],
    });
  });

  test("rel_list_grid_scan is relative and resets", async () => {
    const { det, motor1, motor2 } = await createSimBeamline({ seed: 1 });
    await motor1.set(5);
    await motor2.set(8);
    const { RE, docs } = planEngine();
    await RE.call(
      rel_list_grid_scan([det], motor1, [1, 2], motor2, [10, 20], { snake_axes: [motor2] }),
    );
    assertClose(column(docs, "motor1"), [6, 6, 7, 7]);
    assertClose(column(docs, "motor2"), [18, 28, 28, 18]);
    assert.equal(onlyStart(docs)["plan_name"], "rel_list_grid_scan");
    assert.equal(motor1.position, 5);
    assert.equal(motor2.position, 8);
  });

  test("lists of different lengths, empty lists and non-numbers are refused", async () => {
    const { det, motor1, motor2 } = await createSimBeamline();
    assert.throws(
      () => list_scan([det], motor1, [1, 2], motor2, [1, 2, 3]),
      /list_scan: the position lists must be all of the same length; their lengths are motor1: 2, motor2: 3/,
    );
    assert.throws(
      () => list_scan([det], motor1, []),
      /positions of motor 1 must be a non-empty list/,
    );
    assert.throws(
      () => list_scan([det], motor1, [1, "x"]),
      /positions of motor 1 must be a list of finite numbers/,
    );
    assert.throws(() => list_scan([det], motor1), /pairs of \(motor, list of positions\)/);
  });
});
