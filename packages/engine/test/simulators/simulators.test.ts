// summarize_plan, check_limits, estimate_time, plot_raster_path: without a RunEngine, and
// without moving anything.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createSimBeamline } from "@cerulean/devices/sim";
import { count } from "../../src/index.ts";
import { grid_scan, rel_scan, scan, tweak } from "../../src/plans/index.ts";
import {
  check_limits,
  estimate_time,
  LimitViolation,
  plot_raster_path,
  SimulationError,
  simulate,
  summarize_plan,
} from "../../src/simulators/index.ts";

describe("summarize_plan", () => {
  test("prints the moves and reads of a scan without touching hardware", async () => {
    const { det, motor } = await createSimBeamline();
    const printed: string[] = [];
    const lines = summarize_plan(scan([det], motor, -1, 1, 3), { out: (l) => printed.push(l) });
    assert.deepEqual(lines, [
      `${"=".repeat(35)} Open Run ${"=".repeat(35)}`,
      "motor -> -1",
      "  Read ['det', 'motor']",
      "motor -> 0",
      "  Read ['det', 'motor']",
      "motor -> 1",
      "  Read ['det', 'motor']",
      `${"=".repeat(34)} Close Run ${"=".repeat(35)}`,
    ]);
    assert.deepEqual(printed, lines);
    assert.equal(motor.position, 0);
  });

  test("relative plans start from the device's position (or the one given)", async () => {
    const { det, motor } = await createSimBeamline();
    await motor.set(5);
    const moves = (lines: string[]) => lines.filter((l) => l.startsWith("motor ->"));
    assert.deepEqual(moves(summarize_plan(rel_scan([det], motor, -1, 1, 2), { out: null })), [
      "motor -> 4",
      "motor -> 6",
      "motor -> 5",
    ]);
    assert.deepEqual(
      moves(
        summarize_plan(rel_scan([det], motor, -1, 1, 2), { out: null, positions: { motor: 0 } }),
      ),
      ["motor -> -1", "motor -> 1", "motor -> 0"],
    );
    assert.equal(motor.position, 5);
  });

  test("an endless interactive plan stops at the message limit with a clear error", async () => {
    const { det, motor } = await createSimBeamline();
    assert.throws(
      () => simulate(tweak(det, "det", motor, 1), { maxMessages: 200 }),
      (e: Error) =>
        e instanceof SimulationError && /did not end within 200 messages/.test(e.message),
    );
    // A non-numeric answer ends it.
    const { messages } = simulate(tweak(det, "det", motor, 1), { input: "q" });
    assert.equal(messages.filter((m) => m.command === "save").length, 1);
  });
});

describe("check_limits", () => {
  test("passes a plan inside the limits and names the motor and limit otherwise", async () => {
    const { det, motor } = await createSimBeamline({ limits: { low: -5, high: 5 } });
    await check_limits(scan([det], motor, -5, 5, 11));
    await assert.rejects(check_limits(scan([det], motor, 0, 10, 3)), (e: Error) => {
      assert.ok(e instanceof LimitViolation);
      assert.equal(e.device, "motor");
      assert.equal(e.value, 10);
      assert.match(
        e.message,
        /^check_limits: the plan would move motor to 10 \(message \d+\): .*high limit 5/,
      );
      return true;
    });
    assert.equal(motor.position, 0, "nothing moved");
  });

  test("relative moves are checked from the current position", async () => {
    const { det, motor } = await createSimBeamline({ limits: { low: -5, high: 5 } });
    await motor.set(4);
    await assert.rejects(check_limits(rel_scan([det], motor, 0, 2, 3)), /would move motor to 6/);
    await motor.set(3);
    await check_limits(rel_scan([det], motor, 0, 2, 3));
  });

  test("devices that cannot check values are reported once", async () => {
    const { det, sig } = await createSimBeamline();
    const warnings: string[] = [];
    await check_limits(scan([det], sig, 0, 1, 3), { warn: (w) => warnings.push(w) });
    assert.deepEqual(warnings, ["sig has no checkValue() to check if 0 is within its limits"]);
  });
});

describe("estimate_time", () => {
  test("moves at the given velocity, exposures and delays add up", async () => {
    const { det, motor } = await createSimBeamline();
    const estimate = await estimate_time(scan([det], motor, 0, 4, 5), {
      velocities: { motor: 2 },
      exposures: { det: 0.1 },
    });
    // Moves 0→0, then four of 1 unit at 2 units/s; five exposures of 0.1 s.
    assert.equal(estimate.moving, 2);
    assert.ok(Math.abs(estimate.acquiring - 0.5) < 1e-12);
    assert.equal(estimate.points, 5);
    assert.ok(Math.abs(estimate.total - 2.5) < 1e-12);
    assert.deepEqual(estimate.unknown, []);
    const counted = await estimate_time(count([det], 3, 0.5), { exposures: { det: 0 } });
    assert.ok(Math.abs(counted.sleeping - 1) < 0.05, `sleeping ${counted.sleeping}`);
  });

  test("velocities come from the device configuration; unknown exposures are listed", async () => {
    const { det, motor } = await createSimBeamline({ velocity: 4 });
    const estimate = await estimate_time(scan([det], motor, -2, 2, 3));
    // From 0 to -2 (0.5 s), then two moves of 2 (0.5 s each).
    assert.equal(estimate.moving, 1.5);
    assert.deepEqual(estimate.unknown, ["det"]);
    const settled = await estimate_time(scan([det], motor, -2, 2, 3), {
      settle_time: 0.1,
      query_devices: false,
      velocities: { motor: 4 },
    });
    assert.ok(Math.abs(settled.moving - 1.8) < 1e-12);
  });

  test("moves in one group overlap: a grid step lasts as long as its slowest move", async () => {
    const { det4, motor1, motor2 } = await createSimBeamline();
    const estimate = await estimate_time(grid_scan([det4], motor1, 0, 1, 2, motor2, 0, 3, 2), {
      velocities: { motor1: 1, motor2: 1 },
      exposures: { det4: 0 },
    });
    // Steps: (0,0) 0 s, (0,3) 3 s, (1,0) max(1,3)=3 s, (1,3) 3 s.
    assert.equal(estimate.moving, 9);
  });
});

describe("plot_raster_path", () => {
  test("returns the points of each event and an SVG of the path", async () => {
    const { det4, motor1, motor2 } = await createSimBeamline();
    const path = plot_raster_path(
      grid_scan([det4], motor1, 0, 1, 2, motor2, 0, 2, 3, { snake_axes: true }),
      motor1,
      "motor2",
    );
    assert.deepEqual(path.x, [0, 0, 0, 1, 1, 1]);
    assert.deepEqual(path.y, [0, 1, 2, 2, 1, 0]);
    assert.match(path.svg, /^<svg [^>]*>.*<polyline [^>]*points="[^"]+"\/>.*<\/svg>$/);
    assert.equal(path.svg.match(/<circle /g)?.length, 6);
    assert.match(path.svg, />motor1<\/text>.*>motor2<\/text>/);
  });
});
