import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createSimBeamline } from "@cerulean/devices/sim";
import {
  count,
  ENGINE_STATES,
  type EngineState,
  RunEngineInterrupted,
  StateMachine,
  TRANSITIONS,
  TransitionError,
} from "../../src/index.ts";
import { recordingEngine } from "../helpers.ts";

/** Walks the machine from idle to `target` along allowed transitions. */
function reach(target: EngineState): StateMachine {
  const paths: Record<EngineState, EngineState[]> = {
    idle: [],
    running: ["running"],
    pausing: ["running", "pausing"],
    paused: ["running", "pausing", "paused"],
    halting: ["running", "halting"],
    stopping: ["running", "stopping"],
    aborting: ["running", "aborting"],
    suspending: ["running", "suspending"],
    panicked: ["panicked"],
  };
  const sm = new StateMachine();
  for (const s of paths[target]) sm.set(s);
  return sm;
}

describe("state machine", () => {
  test("every transition of the table is allowed and every other one refused", () => {
    for (const from of ENGINE_STATES) {
      for (const to of ENGINE_STATES) {
        const sm = reach(from);
        if (from === to) {
          sm.set(to);
          assert.equal(sm.state, from);
        } else if (TRANSITIONS[from].includes(to)) {
          sm.set(to);
          assert.equal(sm.state, to);
        } else {
          assert.throws(() => sm.set(to), TransitionError, `${from} -> ${to}`);
        }
      }
    }
  });

  test("only running can pause; panicked goes nowhere", () => {
    assert.deepEqual(
      ENGINE_STATES.filter((s) => reach(s).canPause),
      ["running"],
    );
    assert.deepEqual(TRANSITIONS.panicked, []);
  });

  test("the state hook sees every change; a throwing hook is reported, not fatal", () => {
    const sm = new StateMachine();
    const seen: string[] = [];
    const reported: unknown[] = [];
    sm.hook = (state, old) => {
      seen.push(`${old}->${state}`);
      throw new Error("hook bug");
    };
    sm.reportHookError = (err) => reported.push(err);
    sm.set("running");
    sm.set("idle");
    assert.deepEqual(seen, ["idle->running", "running->idle"]);
    assert.equal(reported.length, 2);
  });

  test("a plan goes idle -> running -> idle, and through pausing/paused when paused", async () => {
    const { det } = await createSimBeamline();
    const { RE } = recordingEngine();
    const states: string[] = [];
    RE.stateHook = (state) => states.push(state);
    await RE.call(count([det]));
    assert.deepEqual(states, ["running", "idle"]);
    states.length = 0;
    await assert.rejects(
      RE.call(
        (function* () {
          yield { command: "checkpoint", obj: null, args: [], kwargs: {} };
          yield { command: "pause", obj: null, args: [], kwargs: {} };
        })(),
      ),
      RunEngineInterrupted,
    );
    await RE.resume();
    assert.deepEqual(states, ["running", "pausing", "paused", "running", "idle"]);
  });
});
