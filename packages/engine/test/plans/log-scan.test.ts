// log_scan and rel_log_scan.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createSimBeamline } from "@cerulean/devices/sim";
import { log_scan, PlanValidationError, rel_log_scan } from "../../src/plans/index.ts";
import { repr } from "../../src/utils/repr.ts";
import { assertClose, column, onlyStart, planEngine, planMetadata } from "./support.ts";

describe("log_scan", () => {
  test("visits 10^start .. 10^stop evenly in log, with Bluesky's metadata", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    const { RE, docs } = planEngine();
    await RE.call(log_scan([det], motor, 0, 2, 5));
    assertClose(column(docs, "motor"), [1, 10 ** 0.5, 10, 10 ** 1.5, 100], 1e-9);
    assert.deepEqual(planMetadata(onlyStart(docs)), {
      detectors: ["det"],
      motors: ["motor"],
      num_points: 5,
      num_intervals: 4,
      plan_args: {
        detectors: [repr(det)],
        num: 5,
        start: 0,
        stop: 2,
        motor: repr(motor),
        per_step: "None",
      },
      plan_name: "log_scan",
      plan_pattern: "logspace",
      plan_pattern_module: "numpy",
      plan_pattern_args: { start: 0, stop: 2, num: 5 },
      hints: { dimensions: [[["motor"], "primary"]] },
    });
  });

  test("rel_log_scan adds the start position and returns there", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    await motor.set(6);
    const { RE, docs } = planEngine();
    await RE.call(rel_log_scan([det], motor, 0, 1, 2));
    assertClose(column(docs, "motor"), [7, 16]);
    assert.equal(onlyStart(docs)["plan_name"], "rel_log_scan");
    assert.equal(motor.position, 6);
  });

  test("bad arguments are refused", async () => {
    const { det, motor } = await createSimBeamline();
    assert.throws(
      () => log_scan([det], motor, 0, 2, 0),
      (e: Error) => e instanceof PlanValidationError && /log_scan: num/.test(e.message),
    );
    assert.throws(
      () => log_scan([det], {} as never, 0, 2, 3),
      /log_scan: motor must be a movable device/,
    );
  });
});
