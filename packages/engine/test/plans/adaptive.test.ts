// adaptive_scan, rel_adaptive_scan and tune_centroid on the sim Gaussian `det` (centre 0, sigma 1).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createSimBeamline } from "@cerulean/devices/sim";
import {
  adaptive_scan,
  PlanValidationError,
  rel_adaptive_scan,
  tune_centroid,
} from "../../src/plans/index.ts";
import { repr } from "../../src/utils/repr.ts";
import { docsNamed } from "../helpers.ts";
import { column, onlyStart, planEngine, planMetadata, setsOf } from "./support.ts";

function steps(xs: number[]): { x: number; dx: number }[] {
  return xs.slice(1).map((x, i) => ({ x, dx: Math.abs(x - (xs[i] as number)) }));
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

describe("adaptive_scan", () => {
  test("takes short steps on the peak and long ones on the flat tails", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    const { RE, docs } = planEngine();
    await RE.call(adaptive_scan([det], "det", motor, -5, 5, 0.05, 1, 0.05, true));
    const xs = column(docs, "motor") as number[];
    assert.equal(xs[0], -5);
    assert.ok((xs[xs.length - 1] as number) < 5);
    const s = steps(xs);
    const onPeak = s.filter(({ x }) => Math.abs(x) > 0.5 && Math.abs(x) < 1.5).map((p) => p.dx);
    const onTails = s.filter(({ x }) => Math.abs(x) > 3.5).map((p) => p.dx);
    assert.ok(onPeak.length > 0 && onTails.length > 0);
    assert.ok(mean(onPeak) < mean(onTails) / 3, `peak ${mean(onPeak)} vs tails ${mean(onTails)}`);
    // Points are denser near the peak: more points per unit length in |x| < 2 than |x| > 3.
    const density = (lo: number, hi: number) =>
      xs.filter((x) => Math.abs(x) >= lo && Math.abs(x) < hi).length / (2 * (hi - lo));
    assert.ok(density(0, 2) > 2 * density(3, 5), `densities ${density(0, 2)} vs ${density(3, 5)}`);
    assert.deepEqual(planMetadata(onlyStart(docs)), {
      detectors: ["det"],
      motors: ["motor"],
      plan_args: {
        detectors: [repr(det)],
        motor: repr(motor),
        start: -5,
        stop: 5,
        min_step: 0.05,
        max_step: 1,
        target_delta: 0.05,
        backstep: true,
        threshold: 0.8,
      },
      plan_name: "adaptive_scan",
      hints: { dimensions: [[["motor"], "primary"]] },
    });
    assert.deepEqual(docsNamed(docs, "stop")[0]?.["num_events"], { primary: xs.length });
  });

  test("a smaller target_delta takes more points; backstep may step back", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    const fine = planEngine();
    await fine.RE.call(adaptive_scan([det], "det", motor, 0, 5, 0.1, 1, 0.1, true));
    const coarse = planEngine();
    await coarse.RE.call(adaptive_scan([det], "det", motor, 0, 5, 0.1, 1, 0.2, true));
    assert.ok(column(fine.docs, "motor").length > column(coarse.docs, "motor").length);
    assert.equal(column(fine.docs, "motor")[0], 0);
  });

  test("without backstep it only moves forward, also downwards when stop < start", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    const up = planEngine();
    await up.RE.call(adaptive_scan([det], "det", motor, 0, 5, 0.1, 1, 0.1, false));
    const ups = column(up.docs, "motor") as number[];
    assert.ok(ups.every((x, i) => i === 0 || x > (ups[i - 1] as number)));
    const { RE, docs } = planEngine();
    await RE.call(adaptive_scan([det], "det", motor, 5, 0, 0.1, 1, 0.1, false, { threshold: 0.5 }));
    const xs = column(docs, "motor") as number[];
    assert.ok(xs.every((x, i) => i === 0 || x < (xs[i - 1] as number)));
    assert.equal((onlyStart(docs)["plan_args"] as Record<string, unknown>)["threshold"], 0.5);
  });

  test("rel_adaptive_scan starts at the current position and returns there", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    await motor.set(1);
    const { RE, docs } = planEngine();
    await RE.call(rel_adaptive_scan([det], "det", motor, 0, 2, 0.1, 1, 0.1, true));
    assert.equal(column(docs, "motor")[0], 1);
    assert.equal(onlyStart(docs)["plan_name"], "rel_adaptive_scan");
    assert.equal(motor.position, 1);
  });

  test("bad steps and unknown fields are refused", async () => {
    const { det, motor } = await createSimBeamline();
    assert.throws(
      () => adaptive_scan([det], "det", motor, 5, 0, -0.1, 1, 0.1, false),
      (e: Error) => e instanceof PlanValidationError && /0 < min_step < max_step/.test(e.message),
    );
    assert.throws(
      () => rel_adaptive_scan([det], "det", motor, 5, 0, 1, 0.1, 0.1, false),
      /0 < min_step < max_step/,
    );
    assert.throws(
      () => adaptive_scan([det], "det", motor, 0, 1, 0.1, 1, 0.1, "yes" as never),
      /backstep must be true or false/,
    );
  });

  test("a target_field no device describes is refused before the run opens", async () => {
    const { det, motor } = await createSimBeamline();
    for (const plan of [adaptive_scan, rel_adaptive_scan]) {
      const { RE, docs, msgs } = planEngine();
      await assert.rejects(
        RE.call(plan([det], "nope", motor, 0, 1, 0.1, 1, 0.1, false)),
        (e: Error) =>
          e instanceof PlanValidationError &&
          e.message.startsWith(`${plan.name}: target_field must be a data key`) &&
          /they describe: det, motor, motor_setpoint\); got 'nope'/.test(e.message),
      );
      // No run at all: no documents, nothing moved or read.
      assert.deepEqual(docs, []);
      const commands = msgs.map((m) => m.command);
      for (const c of ["open_run", "set", "trigger", "read"]) assert.ok(!commands.includes(c), c);
    }
  });

  test("threshold given as null is recorded as null in plan_args (0.8 is used)", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    for (const plan of [
      adaptive_scan([det], "det", motor, 0, 1, 0.2, 0.5, 0.1, false, null),
      adaptive_scan([det], "det", motor, 0, 1, 0.2, 0.5, 0.1, false, { threshold: null }),
    ]) {
      const { RE, docs } = planEngine();
      await RE.call(plan);
      const args = onlyStart(docs)["plan_args"] as Record<string, unknown>;
      assert.equal(args["threshold"], null);
      assert.ok(docsNamed(docs, "event").length >= 2);
    }
  });
});

describe("tune_centroid", () => {
  test("converges on the peak centre and moves there", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    const { RE, docs, msgs } = planEngine();
    await RE.call(tune_centroid([det], "det", motor, -1.5, 2, 0.01, 10));
    // The last move goes to the final centroid, within a few min_steps of the true centre 0.
    const moves = setsOf(msgs, "motor") as number[];
    const final = moves[moves.length - 1] as number;
    assert.ok(Math.abs(final) < 0.03, `final position ${final}`);
    assert.equal(motor.position, final);
    // Later passes are narrower than the first.
    const xs = column(docs, "motor") as number[];
    const lastTen = xs.slice(-10);
    assert.ok(Math.max(...lastTen) - Math.min(...lastTen) < 0.5);
    assert.deepEqual(planMetadata(onlyStart(docs)), {
      detectors: ["det"],
      motors: ["motor"],
      plan_args: {
        detectors: [repr(det)],
        motor: repr(motor),
        start: -1.5,
        stop: 2,
        num: 10,
        min_step: 0.01,
      },
      plan_name: "tune_centroid",
      hints: { dimensions: [[["motor"], "primary"]] },
    });
  });

  test("snake alternates the direction of the passes", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    const { RE, docs } = planEngine();
    await RE.call(tune_centroid([det], "det", motor, 0, 5, 0.1, 10, 3, true));
    const xs = column(docs, "motor") as number[];
    assert.equal(xs[0], 0);
    assert.ok(
      xs.some((x, i) => i > 0 && x < (xs[i - 1] as number)),
      "some pass goes down",
    );
  });

  test("stops without moving to a centroid when the signal is zero everywhere", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    const { RE, docs, msgs } = planEngine();
    await RE.call(tune_centroid([det], "det", motor, 50, 60, 0.1, { num: 5 }));
    assert.equal(column(docs, "motor").length, 5);
    assert.deepEqual(setsOf(msgs, "motor"), [50, 52.5, 55, 57.5, 60]);
  });

  test("bad arguments are refused", async () => {
    const { det, motor } = await createSimBeamline();
    assert.throws(
      () => tune_centroid([det], "det", motor, 5, 0, -0.1, 10),
      /tune_centroid: min_step must be a number > 0/,
    );
    assert.throws(
      () => tune_centroid([det], "det", motor, 0, 5, 0.1, 10, 1),
      /step_factor must be a number > 1/,
    );
    assert.throws(
      () => tune_centroid([det], "det", motor, 0, 5, 0.1, 1),
      /num must be a whole number >= 2/,
    );
  });
});
