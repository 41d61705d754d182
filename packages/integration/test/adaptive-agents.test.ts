// Issue 15, agents in-process: the peak-alignment and Bayesian-optimisation agents drive the
// real RunEngine over the sim beamline and learn from the documents of the runs they asked for.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import {
  AgentLimitError,
  BayesOptAgent,
  PeakAlignmentAgent,
  type PlanFunction,
  planItem,
  runAgentInProcess,
} from "@cerulean/analysis";
import { createSimBeamline } from "@cerulean/devices/sim";
import { bp, type PlanLike, RunEngine } from "@cerulean/engine";
import { assertValidStream } from "@cerulean/event-model/testing";

const dataDir = mkdtempSync(join(tmpdir(), "cerulean-adaptive-"));
after(() => rmSync(dataDir, { recursive: true, force: true }));

type Scan = (detectors: readonly unknown[], ...rest: unknown[]) => PlanLike;
const PLANS: Record<string, PlanFunction<PlanLike>> = {
  scan: (dets, ...rest) => (bp.scan as Scan)(dets as unknown[], ...rest),
  list_scan: (dets, ...rest) => (bp.list_scan as Scan)(dets as unknown[], ...rest),
};
const quiet = { info() {}, warn() {}, error() {} };

async function setup() {
  const beamline = await createSimBeamline({ seed: 1, dataDir });
  const engine = new RunEngine({ log: quiet as never });
  const documents: [string, unknown][] = [];
  engine.subscribe((name, doc) => documents.push([name, doc]));
  return { beamline, engine, documents };
}

describe("adaptive agents on the RunEngine", () => {
  test("the alignment agent finds noisy_det's centre with far fewer points than a fine grid", async () => {
    const { beamline, engine, documents } = await setup();
    await beamline.noisy_det.center.set(1.37);
    const tolerance = 0.02;
    const agent = new PeakAlignmentAgent({
      detector: "noisy_det",
      motor: "motor",
      bounds: [-5, 5],
      tolerance,
      finePoints: 15,
      fineSigmas: 2,
      maxRuns: 10,
    });
    const { items, report } = await runAgentInProcess(agent, {
      engine,
      plans: PLANS,
      devices: { ...beamline },
    });
    const estimate = agent.estimate;
    assert.ok(estimate?.converged, JSON.stringify(report));
    assert.ok(Math.abs(estimate.center - 1.37) < 3 * tolerance, `centre ${estimate.center}`);
    const fineGrid = Math.round(10 / tolerance) + 1;
    assert.ok(estimate.totalPoints < fineGrid / 5, `${estimate.totalPoints} vs ${fineGrid}`);
    const starts = documents
      .filter(([n]) => n === "start")
      .map(([, d]) => d as Record<string, unknown>);
    assert.equal(starts.length, items.length);
    assert.ok(starts.every((s) => s["plan_name"] === "scan" && s["agent"] === "peak-alignment"));
    assertValidStream(documents);
  });

  test("the Bayesian agent finds the maximum of det4 over motor1 and motor2", async () => {
    const { beamline, engine, documents } = await setup();
    await beamline.det4.center.set([0.8, -1.3]);
    const maxRuns = 25;
    const agent = new BayesOptAgent({
      detector: "det4",
      motors: [
        { name: "motor1", bounds: [-3, 3] },
        { name: "motor2", bounds: [-3, 3] },
      ],
      maxRuns,
    });
    const { items, report } = await runAgentInProcess(agent, {
      engine,
      plans: PLANS,
      devices: { ...beamline },
    });
    const best = agent.best;
    assert.ok(best, JSON.stringify(report));
    const [x = Number.NaN, y = Number.NaN] = best.position;
    assert.ok(Math.hypot(x - 0.8, y + 1.3) < 0.1, JSON.stringify(report));
    assert.ok(items.length <= maxRuns);
    assert.ok(best.value > 0.99);
    assertValidStream(documents);
  });

  test("a proposal outside the agent's motor limits is refused before anything moves", async () => {
    const { beamline, engine, documents } = await setup();
    const agent = new PeakAlignmentAgent({
      detector: "det",
      motor: "motor",
      bounds: [-1, 1],
      tolerance: 0.01,
    });
    agent.propose = () => [planItem("scan", [["det"], "motor", -1, 4, 5])];
    await assert.rejects(
      runAgentInProcess(agent, { engine, plans: PLANS, devices: { ...beamline } }),
      (e: Error) =>
        e instanceof AgentLimitError && /"motor" to 4; its limits allow \[-1, 1\]/.test(e.message),
    );
    assert.equal(documents.length, 0);
  });
});
