import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { assertValidStream } from "@cerulean/event-model/testing";
import {
  AgentConfigurationError,
  fit,
  gaussianOnBackground,
  PeakAlignmentAgent,
  runAgentInProcess,
} from "../../src/index.ts";
import {
  SIM_DEVICES,
  SIM_PLANS,
  SimulatedEngine,
  type SimulatedEngineOptions,
} from "./simulated-engine.ts";

const CENTER = 1.37;
const peak = (p: Record<string, number>) => Math.exp(-(((p["motor"] ?? 0) - CENTER) ** 2) / 2);

/** A PeakAlignmentAgent over motor in [-5, 5] (tolerance 0.01 unless given) run on a simulation. */
async function align(
  simulation: SimulatedEngineOptions,
  options: Partial<ConstructorParameters<typeof PeakAlignmentAgent>[0]> = {},
) {
  const engine = new SimulatedEngine(simulation);
  const agent = new PeakAlignmentAgent({
    detector: "det",
    motor: "motor",
    bounds: [-5, 5],
    tolerance: 0.01,
    ...options,
  });
  const result = await runAgentInProcess(agent, {
    engine,
    plans: SIM_PLANS,
    devices: SIM_DEVICES,
  });
  return { engine, agent, ...result };
}

describe("PeakAlignmentAgent", () => {
  test("finds a noisy peak centre within tolerance with fewer points than a fine grid", async () => {
    const tolerance = 0.01;
    const { engine, agent, items, report } = await align(
      { signal: peak, noise: 0.05, seed: 3 },
      { tolerance },
    );
    const estimate = agent.estimate;
    assert.ok(estimate?.converged, JSON.stringify(report));
    assert.ok(Math.abs(estimate.center - CENTER) < 3 * tolerance, `centre ${estimate.center}`);
    assert.ok(estimate.centerStderr < tolerance);
    const fineGrid = Math.round(10 / tolerance) + 1;
    assert.ok(engine.points < fineGrid / 10, `${engine.points} points vs ${fineGrid}`);
    assert.equal(items[0]?.name, "scan");
    assert.deepEqual(items[0]?.args.slice(0, 4), [["det"], "motor", -5, 5]);
    assert.ok(items.slice(1).every((i) => (i.args[3] as number) - (i.args[2] as number) < 10));
    assert.equal(report["stop_reason"], "converged");
    assert.equal(agent.propose().length, 0);
    assertValidStream(engine.documents);
  });

  test("narrows the search around the highest point when no peak can be fitted", () => {
    const agent = new PeakAlignmentAgent({
      detector: "det",
      motor: "motor",
      bounds: [-5, 5],
      tolerance: 0.01,
    });
    const first = agent.propose();
    assert.equal(first.length, 1);
    // A flat run: the fit fails, the agent searches around the maximum (here the first point).
    agent.tell({
      uid: "u",
      start: {} as never,
      stop: {} as never,
      numEvents: 3,
      columns: { motor: [-5, 0, 5], det: [0.2, 0.1, 0.1] },
    });
    assert.equal(agent.estimate, null);
    const [next] = agent.propose();
    assert.deepEqual(next?.args.slice(1, 4), ["motor", -5, -2.5]);
    assert.equal(agent.steps[1]?.phase, "search");
  });

  test("finds a peak standing on a background (default model has a constant offset)", async () => {
    const { agent, report } = await align({
      signal: (p) => 100 + 5 * Math.exp(-(((p["motor"] ?? 0) - 1) ** 2) / 0.5),
      noise: 0.5,
      seed: 5,
    });
    assert.equal(report["stop_reason"], "converged", JSON.stringify(report));
    assert.ok(Math.abs((agent.estimate?.center ?? 0) - 1) < 0.05, `${agent.estimate?.center}`);
    assert.ok(Math.abs((agent.lastFit?.params["background_c"] ?? 0) - 100) < 1);
  });

  test("gaussianOnBackground guesses the offset from the baseline and fits it", () => {
    const x = Array.from({ length: 15 }, (_, i) => -5 + (10 * i) / 14);
    const y = x.map((v) => 100 + 5 * Math.exp(-((v - 1) ** 2) / 0.5));
    const model = gaussianOnBackground();
    const guess = model.guess(x, y);
    assert.equal(guess[3], Math.min(...y));
    const result = fit(model, x, y);
    assert.ok(result.success, result.reason);
    assert.ok(Math.abs((result.params["center"] ?? 0) - 1) < 1e-6);
    assert.ok(Math.abs((result.params["background_c"] ?? 0) - 100) < 1e-6);
  });

  test("skips NaN readings, counts them, and still converges", async () => {
    const { agent, report } = await align({
      signal: (p) => (Math.abs((p["motor"] ?? 0) - 2) < 0.5 ? Number.NaN : peak(p)),
      noise: 0.02,
      seed: 5,
    });
    assert.equal(report["stop_reason"], "converged", JSON.stringify(report));
    assert.ok(agent.skippedPoints > 0);
    assert.equal(report["skipped_points"], agent.skippedPoints);
    assert.ok(agent.y.every(Number.isFinite));
    assert.ok(Math.abs((agent.estimate?.center ?? 0) - CENTER) < 0.05);
  });

  test("after a failed search scans the full range once between the coarse points, then stops", async () => {
    const { agent, items, report } = await align(
      { signal: () => 1, noise: 0.1, seed: 5 },
      { coarsePoints: 11 },
    );
    assert.equal(items.length, 3);
    assert.deepEqual(
      agent.steps.map((s) => s.phase),
      ["coarse", "search", "search"],
    );
    assert.deepEqual(items[2]?.args.slice(1, 5), ["motor", -4.5, 4.5, 10]);
    assert.equal(report["stop_reason"], "no peak found");
  });

  test("says when the signal rises at the edge of the range", () => {
    const agent = new PeakAlignmentAgent({
      detector: "det",
      motor: "motor",
      bounds: [-5, 5],
      tolerance: 0.01,
      coarsePoints: 5,
    });
    const rising = (xs: number[]) => ({
      uid: "u",
      start: {} as never,
      stop: {} as never,
      numEvents: xs.length,
      columns: { motor: xs, det: xs.map((v) => Math.exp(v)) },
    });
    agent.propose();
    agent.tell(rising([-5, -2.5, 0, 2.5, 5]));
    assert.equal(agent.propose().length, 1);
    agent.tell(rising([2.5, 5]));
    assert.equal(agent.propose().length, 1);
    agent.tell(rising([-3.75, 3.75]));
    assert.deepEqual(agent.propose(), []);
    assert.match(
      String(agent.report()["stop_reason"]),
      /no peak found: signal rising at the edge of the range \(highest reading at motor = 5\)/,
    );
  });

  test("stops after maxRuns and declares its limits", async () => {
    const { agent, items, report } = await align(
      { signal: () => 0.3, noise: 0.01 },
      { bounds: [-2, 2], maxRuns: 3 },
    );
    assert.deepEqual(agent.limits, { plans: ["scan"], motors: { motor: [-2, 2] }, max_runs: 3 });
    assert.equal(items.length, 3);
    assert.equal(report["stop_reason"], "maxRuns reached");
    assert.equal(agent.done, true);
  });

  test("rejects bad configuration with the value", () => {
    const base = { detector: "det", motor: "motor", tolerance: 0.1 };
    assert.throws(
      () => new PeakAlignmentAgent({ ...base, bounds: [1, -1] }),
      (e: Error) => e instanceof AgentConfigurationError && /\[1,-1\]/.test(e.message),
    );
    assert.throws(
      () => new PeakAlignmentAgent({ ...base, bounds: [-1, 1], tolerance: 0 }),
      /tolerance must be positive, got 0/,
    );
    assert.throws(
      () => new PeakAlignmentAgent({ ...base, bounds: [-1, 1], coarsePoints: 2 }),
      /coarsePoints must be an integer of at least 4, got 2/,
    );
  });
});
