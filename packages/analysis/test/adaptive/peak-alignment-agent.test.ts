import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { assertValidStream } from "@cerulean/event-model/testing";
import { AgentConfigurationError, PeakAlignmentAgent, runAgentInProcess } from "../../src/index.ts";
import { SIM_DEVICES, SIM_PLANS, SimulatedEngine } from "./simulated-engine.ts";

const CENTER = 1.37;
const peak = (p: Record<string, number>) => Math.exp(-(((p["motor"] ?? 0) - CENTER) ** 2) / 2);

describe("PeakAlignmentAgent", () => {
  test("finds a noisy peak centre within tolerance with fewer points than a fine grid", async () => {
    const engine = new SimulatedEngine({ signal: peak, noise: 0.05, seed: 3 });
    const tolerance = 0.01;
    const agent = new PeakAlignmentAgent({
      detector: "det",
      motor: "motor",
      bounds: [-5, 5],
      tolerance,
    });
    const { items, report } = await runAgentInProcess(agent, {
      engine,
      plans: SIM_PLANS,
      devices: SIM_DEVICES,
    });
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

  test("stops after maxRuns and declares its limits", async () => {
    const engine = new SimulatedEngine({ signal: () => 0.3, noise: 0.01 });
    const agent = new PeakAlignmentAgent({
      detector: "det",
      motor: "motor",
      bounds: [-2, 2],
      tolerance: 0.01,
      maxRuns: 3,
    });
    assert.deepEqual(agent.limits, { plans: ["scan"], motors: { motor: [-2, 2] }, max_runs: 3 });
    const { items, report } = await runAgentInProcess(agent, {
      engine,
      plans: SIM_PLANS,
      devices: SIM_DEVICES,
    });
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
