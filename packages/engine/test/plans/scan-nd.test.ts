// scan_nd over cyclers, and the cycler itself.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createSimBeamline } from "@cerulean/devices/sim";
import { PlanArgumentError } from "../../src/index.ts";
import { move_per_step, one_nd_step } from "../../src/plan-stubs/per-step.ts";
import { trigger_and_read } from "../../src/plan-stubs/readings.ts";
import { cycler, PlanValidationError, scan_nd, snake_cyclers } from "../../src/plans/index.ts";
import { repr } from "../../src/utils/repr.ts";
import { assertClose, column, onlyStart, planEngine, planMetadata, setsOf } from "./support.ts";

describe("cycler", () => {
  test("add zips, mul makes the outer product, concat appends", () => {
    const a = cycler("a", [1, 2]);
    const b = cycler("b", [3, 4]);
    assert.deepEqual(
      [...a.add(b)].map((s) => [...s.values()]),
      [
        [1, 3],
        [2, 4],
      ],
    );
    assert.deepEqual(
      [...a.mul(b)].map((s) => [...s.values()]),
      [
        [1, 3],
        [1, 4],
        [2, 3],
        [2, 4],
      ],
    );
    assert.deepEqual(
      [...a.concat(cycler("a", [9]))].map((s) => s.get("a")),
      [1, 2, 9],
    );
    assert.equal(a.mul(b).length, 4);
    assert.deepEqual(a.mul(b).keys, ["a", "b"]);
  });

  test("snake_cyclers reverses flagged axes on every other pass", () => {
    const c = snake_cyclers([cycler("a", [1, 2]), cycler("b", [1, 2, 3])], [false, true]);
    assert.deepEqual(
      [...c].map((s) => s.get("b")),
      [1, 2, 3, 3, 2, 1],
    );
  });

  test("mismatched lengths and repeated keys are errors", () => {
    assert.throws(() => cycler("a", [1]).add(cycler("b", [1, 2])), PlanArgumentError);
    assert.throws(() => cycler("a", [1]).mul(cycler("a", [1, 2])), /appears in both trajectories/);
  });
});

describe("scan_nd", () => {
  test("walks a cycler, skipping motors that do not move, with Bluesky's metadata", async () => {
    const { det4, motor1, motor2 } = await createSimBeamline({ seed: 1 });
    const trajectory = cycler(motor1, [0, 1]).mul(cycler(motor2, [5, 6]));
    const { RE, docs, msgs } = planEngine();
    await RE.call(scan_nd([det4], trajectory));
    assertClose(column(docs, "motor1"), [0, 0, 1, 1]);
    assertClose(column(docs, "motor2"), [5, 6, 5, 6]);
    assert.deepEqual(setsOf(msgs, "motor1"), [0, 1]);
    assert.deepEqual(setsOf(msgs, "motor2"), [5, 6, 5, 6]);
    assert.deepEqual(planMetadata(onlyStart(docs)), {
      detectors: ["det4"],
      motors: ["motor1", "motor2"],
      num_points: 4,
      num_intervals: 3,
      plan_args: {
        detectors: [repr(det4)],
        cycler: `(cycler(${repr(motor1)}, [0, 1]) * cycler(${repr(motor2)}, [5, 6]))`,
        per_step: "None",
      },
      plan_name: "scan_nd",
      hints: {
        dimensions: [
          [["motor1"], "primary"],
          [["motor2"], "primary"],
        ],
      },
    });
  });

  test("a per_step built from move_per_step can read into another stream", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    const { RE, docs } = planEngine();
    await RE.call(
      scan_nd([det], cycler(motor, [1, 2]), {
        per_step: function* (detectors, step, pos_cache) {
          yield* move_per_step(step, pos_cache);
          return yield* trigger_and_read([...detectors, ...step.keys()], "custom");
        },
      }),
    );
    assertClose(column(docs, "motor", "custom"), [1, 2]);
  });

  test("one_nd_step takes a take_reading function", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    const { RE, docs } = planEngine();
    await RE.call(
      scan_nd([det], cycler(motor, [3]), {
        per_step: (detectors, step, pos_cache) =>
          one_nd_step(detectors, step, pos_cache, (devices) => trigger_and_read(devices, "other")),
      }),
    );
    assertClose(column(docs, "motor", "other"), [3]);
  });

  test("a non-cycler is refused", async () => {
    const { det } = await createSimBeamline();
    assert.throws(
      () => scan_nd([det], [1, 2] as never),
      (e: Error) =>
        e instanceof PlanValidationError && /scan_nd: cycler must be a Cycler/.test(e.message),
    );
  });
});
