import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  AgentConfigurationError,
  BayesOptAgent,
  type BayesOptMotor,
  type FinishedRun,
  runAgentInProcess,
  seededUniform,
} from "../../src/index.ts";
import { SIM_DEVICES, SIM_PLANS, SimulatedEngine } from "./simulated-engine.ts";

const TOP: [number, number] = [0.8, -1.3];
const bump = (p: Record<string, number>) =>
  Math.exp(-(((p["motor1"] ?? 0) - TOP[0]) ** 2 + ((p["motor2"] ?? 0) - TOP[1]) ** 2) / 2);

const motors = [
  { name: "motor1", bounds: [-3, 3] as [number, number] },
  { name: "motor2", bounds: [-3, 3] as [number, number] },
];

const finishedRun = (columns: Record<string, number[]>): FinishedRun => ({
  uid: "u",
  start: {} as never,
  stop: {} as never,
  numEvents: Object.values(columns)[0]?.length ?? 0,
  columns,
});

describe("BayesOptAgent", () => {
  test("finds the maximum of a 2-D peak in a bounded number of runs", async () => {
    const engine = new SimulatedEngine({ signal: bump });
    const agent = new BayesOptAgent({ detector: "det4", motors, maxRuns: 25 });
    const { items, report } = await runAgentInProcess(agent, {
      engine,
      plans: SIM_PLANS,
      devices: SIM_DEVICES,
    });
    const best = agent.best;
    assert.ok(best !== null);
    const distance = Math.hypot((best.position[0] ?? 0) - TOP[0], (best.position[1] ?? 0) - TOP[1]);
    assert.ok(distance < 0.1, `best ${JSON.stringify(report)}`);
    assert.ok(best.value > 0.995);
    assert.ok(items.length <= 25);
    assert.ok(items.every((i) => i.name === "list_scan"));
    assert.equal(items[0]?.args[1], "motor1");
    assert.equal((items[0]?.args[2] as number[] | undefined)?.length, 6);
  });

  test("the same seed proposes the same points", () => {
    const a = new BayesOptAgent({ detector: "det4", motors, seed: 5 }).propose();
    const b = new BayesOptAgent({ detector: "det4", motors, seed: 5 }).propose();
    const c = new BayesOptAgent({ detector: "det4", motors, seed: 6 }).propose();
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  test("proposes batches by the kriging-believer rule, all within bounds", async () => {
    const engine = new SimulatedEngine({ signal: bump });
    const agent = new BayesOptAgent({ detector: "det4", motors, batchSize: 3, maxRuns: 4 });
    const { items } = await runAgentInProcess(agent, {
      engine,
      plans: SIM_PLANS,
      devices: SIM_DEVICES,
    });
    assert.equal(items.length, 4);
    for (const item of items.slice(1)) {
      const xs = item.args[2] as number[];
      assert.ok(xs.length >= 1 && xs.length <= 3);
      for (const v of [...xs, ...(item.args[4] as number[])]) assert.ok(v >= -3 && v <= 3);
    }
    assert.deepEqual(agent.limits.motors, { motor1: [-3, 3], motor2: [-3, 3] });
  });

  test("skips a NaN reading, counts it, and keeps proposing", () => {
    const agent = new BayesOptAgent({ detector: "det4", motors });
    const [first] = agent.propose();
    const xs = first?.args[2] as number[];
    const ys = first?.args[4] as number[];
    const det4 = xs.map((x, i) => (i === 2 ? Number.NaN : bump({ motor1: x, motor2: ys[i] ?? 0 })));
    agent.tell(finishedRun({ motor1: xs, motor2: ys, det4 }));
    assert.equal(agent.skippedPoints, 1);
    assert.equal(agent.y.length, xs.length - 1);
    assert.equal(agent.propose().length, 1);
    assert.equal(agent.report()["skipped_points"], 1);
  });

  test("reports the best posterior mean, not the luckiest noisy reading", () => {
    const agent = new BayesOptAgent({ detector: "det4", motors: [motors[0] as BayesOptMotor] });
    // A flat signal of 0 read with noise of amplitude 1: the best reading is pure luck.
    const random = seededUniform(11);
    const motor1 = Array.from({ length: 40 }, (_, i) => -3 + (6 * i) / 39);
    const det4 = motor1.map(() => 2 * random() - 1);
    agent.tell(finishedRun({ motor1, det4 }));
    const best = agent.best;
    assert.ok(best !== null);
    const top = Math.max(...det4);
    assert.ok(top > 0.9);
    assert.ok(Math.abs(best.value) < top / 2, `best ${JSON.stringify(best)}`);
    const k = motor1.indexOf(best.position[0] as number);
    assert.equal(best.measured, det4[k]);
    assert.ok((agent.hyperparameters?.noiseVariance ?? 0) > 0.1);
  });

  test("rejects bad configuration with the value", () => {
    assert.throws(
      () => new BayesOptAgent({ detector: "det4", motors: [] }),
      AgentConfigurationError,
    );
    assert.throws(
      () => new BayesOptAgent({ detector: "d", motors: [{ name: "m", bounds: [2, 2] }] }),
      /bounds of m must be \[low, high\] with low < high, got \[2,2\]/,
    );
    assert.throws(
      () => new BayesOptAgent({ detector: "d", motors, batchSize: 0 }),
      /batchSize must be a positive integer, got 0/,
    );
  });
});
