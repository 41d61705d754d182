import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  AgentLimitError,
  AgentRunError,
  PeakAlignmentAgent,
  runAgentInProcess,
} from "../../src/index.ts";
import { SIM_DEVICES, SIM_PLANS, type SimPlan, SimulatedEngine } from "./simulated-engine.ts";

const agent = () =>
  new PeakAlignmentAgent({ detector: "det", motor: "motor", bounds: [-2, 2], tolerance: 0.01 });

describe("runAgentInProcess", () => {
  test("a plan missing from the registry is named with the registry's plans", async () => {
    const engine = new SimulatedEngine({ signal: () => 1 });
    await assert.rejects(
      runAgentInProcess(agent(), {
        engine,
        plans: { list_scan: SIM_PLANS["list_scan"] as never },
        devices: {},
      }),
      (e: Error) =>
        e instanceof AgentRunError &&
        /plan "scan", which is not in the plan registry \(list_scan\)/.test(e.message),
    );
    assert.equal(engine.runs, 0);
  });

  test("a failing plan stops the agent with the plan's error as cause", async () => {
    const boom = new Error("motor stalled");
    const engine = {
      call: async (_plan: SimPlan) => {
        throw boom;
      },
    };
    await assert.rejects(
      runAgentInProcess(agent(), { engine, plans: SIM_PLANS, devices: SIM_DEVICES }),
      (e: Error) =>
        e instanceof AgentRunError &&
        /"scan" failed: motor stalled/.test(e.message) &&
        e.cause === boom,
    );
  });

  test("device names become devices, metadata stays as given", async () => {
    const calls: unknown[][] = [];
    const plans = {
      scan: (...args: unknown[]) => {
        calls.push(args);
        return SIM_PLANS["scan"]?.(["det"], "motor", ...args.slice(2)) as SimPlan;
      },
    };
    const engine = new SimulatedEngine({ signal: () => 1 });
    const devices = { det: { device: "det" }, motor: { device: "motor" }, "peak-alignment": 0 };
    const a = agent();
    const proposals = a.propose();
    a.propose = () => (calls.length === 0 ? proposals : []);
    await runAgentInProcess(a, { engine, plans, devices });
    assert.equal(engine.runs, 1);
    assert.deepEqual(calls[0]?.slice(0, 2), [[{ device: "det" }], { device: "motor" }]);
    assert.deepEqual(calls[0]?.[5], { md: { agent: "peak-alignment", agent_phase: "coarse" } });
  });

  test("max_total_time counts the time spent in plans and refuses the item after it", async () => {
    const slow = new SimulatedEngine({ signal: () => 0.2 });
    const engine = {
      call: async (plan: SimPlan, options?: Parameters<SimulatedEngine["call"]>[1]) => {
        await new Promise((r) => setTimeout(r, 30));
        return slow.call(plan, options);
      },
    };
    const a = new PeakAlignmentAgent({
      detector: "det",
      motor: "motor",
      bounds: [-2, 2],
      tolerance: 0.01,
      maxTotalTime: 0.02,
    });
    assert.equal(a.limits.max_total_time, 0.02);
    await assert.rejects(
      runAgentInProcess(a, { engine, plans: SIM_PLANS, devices: SIM_DEVICES }),
      (e: Error) =>
        e instanceof AgentLimitError &&
        /of its max_total_time of 0.02 s; "scan" was not run/.test(e.message),
    );
    assert.equal(slow.runs, 1);
  });
});
