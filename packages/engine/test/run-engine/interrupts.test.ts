import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { describe, test } from "node:test";
import { createSimBeamline } from "@cerulean/devices/sim";
import {
  count,
  type EngineState,
  handleSigint,
  InterruptHandler,
  RunEngineInterrupted,
} from "../../src/index.ts";
import { assertWellFormed, recordingEngine } from "../helpers.ts";

class FakeTarget {
  state: EngineState = "running";
  readonly requests: (boolean | undefined)[] = [];
  requestPause(options: { defer?: boolean } = {}): void {
    this.requests.push(options.defer);
  }
}

describe("interrupts", () => {
  test("one press: deferred pause; a second within the window: immediate pause", () => {
    let now = 0;
    const target = new FakeTarget();
    const handler = new InterruptHandler(target, { now: () => now, print: () => {} });
    assert.equal(handler.press(), "deferred-pause");
    now += 2000;
    assert.equal(handler.press(), "immediate-pause");
    assert.deepEqual(target.requests, [true, false]);
  });

  test("presses more than the window apart start counting again", () => {
    let now = 0;
    const target = new FakeTarget();
    const handler = new InterruptHandler(target, {
      now: () => now,
      print: () => {},
      windowSeconds: 10,
    });
    handler.press();
    now += 11_000;
    assert.equal(handler.press(), "deferred-pause");
  });

  test("presses when not running are ignored; many of them give up", () => {
    const target = new FakeTarget();
    target.state = "paused";
    let gaveUp = false;
    const handler = new InterruptHandler(target, {
      print: () => {},
      maxPresses: 3,
      onGiveUp: () => {
        gaveUp = true;
      },
    });
    assert.equal(handler.press(), "ignored");
    handler.press();
    handler.press();
    assert.equal(gaveUp, true);
    assert.deepEqual(target.requests, []);
  });

  test("handleSigint routes SIGINT to the engine: two quick Ctrl-C pause a running plan", async () => {
    const { det } = await createSimBeamline();
    const { RE, docs } = recordingEngine();
    const signals = new EventEmitter();
    const remove = handleSigint(RE, { print: () => {} }, signals as never);
    const call = RE.call(count([det], 50, 0.01));
    await new Promise((r) => setTimeout(r, 30));
    signals.emit("SIGINT");
    assert.equal(RE.deferredPauseRequested, true);
    signals.emit("SIGINT");
    await assert.rejects(call, RunEngineInterrupted);
    assert.equal(RE.state, "paused");
    await RE.abort("interrupted by the user");
    remove();
    assert.equal(signals.listenerCount("SIGINT"), 0);
    const [stop] = assertWellFormed(docs);
    assert.equal(stop?.["exit_status"], "abort");
  });
});
