// A subscriber that falls behind returns a promise; the engine waits for it before the next
// message, so a slow consumer slows the plan instead of piling documents up in memory.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createSimBeamline } from "@cerulean/devices/sim";
import { until, within } from "@cerulean/event-model/testing";
import { bp, bps, type Msg, RunEngine } from "../../src/index.ts";
import { delay } from "../helpers.ts";

const { det } = await createSimBeamline();

/** A count of `n` that logs when each save has returned to the plan. */
function* loggedCount(n: number, log: string[]): Generator<Msg, void, unknown> {
  yield* bps.open_run();
  for (let i = 1; i <= n; i++) {
    yield* bps.trigger_and_read([det]);
    log.push(`plan goes on after event ${i}`);
  }
  yield* bps.close_run();
}

describe("flow control between the engine and its subscribers", () => {
  test("a returned promise holds the plan until it settles", async () => {
    const RE = new RunEngine();
    const log: string[] = [];
    RE.subscribe(async (name, doc) => {
      if (name !== "event") return;
      log.push(`event ${doc.seq_num} received`);
      await delay(5);
      log.push(`event ${doc.seq_num} stored`);
    });
    const result = await RE.call(loggedCount(2, log));
    assert.equal(result.exitStatus, "success");
    assert.deepEqual(log, [
      "event 1 received",
      "event 1 stored",
      "plan goes on after event 1",
      "event 2 received",
      "event 2 stored",
      "plan goes on after event 2",
    ]);
  });

  test("the call resolves only once the stop document's promise has settled", async () => {
    const RE = new RunEngine();
    let stored = false;
    RE.subscribe(async () => {
      await delay(5);
      stored = true;
    }, "stop");
    await RE.call(bp.count([det], 1));
    assert.ok(stored, "RE.call resolved before the subscriber stored the stop document");
  });

  test("abort ends a plan held by a subscriber that never catches up", async () => {
    const RE = new RunEngine();
    let events = 0;
    RE.subscribe((name, _doc) => {
      if (name !== "event") return;
      events++;
      return new Promise<void>(() => {}); // a sink that hung
    });
    const call = RE.call(bp.count([det], 5));
    await until("the first event", () => events === 1);
    const aborted = await within(RE.abort("the catalog hung"), "abort to end the plan");
    assert.equal(aborted.exitStatus, "abort");
    assert.equal((await within(call, "RE.call to settle")).exitStatus, "abort");
    assert.equal(events, 1, "the plan went on past a subscriber it was waiting for");
    assert.equal(RE.state, "idle");
  });

  test("halt ends the wait for a stop document that is never stored", async () => {
    const RE = new RunEngine();
    let stopSeen = false;
    RE.subscribe((_name, _doc) => {
      stopSeen = true;
      return new Promise<void>(() => {});
    }, "stop");
    const call = RE.call(bp.count([det], 1));
    await until("the stop document", () => stopSeen);
    await within(RE.halt(), "halt to end the wait");
    assert.equal((await within(call, "RE.call to settle")).exitStatus, "abort");
    assert.equal(RE.state, "idle");
  });

  test("a pause cuts the wait short; resume waits again; stop then ends the plan at once", async () => {
    const RE = new RunEngine();
    let events = 0;
    let stops = 0;
    RE.subscribe((name, _doc) => {
      if (name === "stop") stops++;
      if (name !== "event") return;
      events++;
      return new Promise<void>(() => {});
    });
    const call = RE.call(bp.count([det], 3));
    await until("the first event", () => events === 1);
    RE.requestPause({ defer: false });
    await assert.rejects(within(call, "the pause"), { name: "RunEngineInterrupted" });
    assert.equal(RE.state, "paused");
    const resumed = RE.resume();
    await until("the engine running again", () => RE.state === "running");
    const stopped = await within(RE.stop(), "stop to end the plan");
    assert.equal(stopped.exitStatus, "success");
    await within(
      resumed.catch(() => undefined),
      "the resumed call to settle",
    );
    assert.equal(stops, 1);
    assert.equal(RE.state, "idle");
  });

  test("timers keep firing while every document is waited for", async () => {
    const { motor } = await createSimBeamline();
    const RE = new RunEngine();
    RE.subscribe(async () => {});
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      await RE.call(bp.scan([det], motor, -1, 1, 5000));
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks > 0, "a 1 ms interval never fired during a 5,000-point scan");
  });

  test("a rejected promise fails the plan like a callback that throws", async () => {
    const RE = new RunEngine();
    let stop: Record<string, unknown> | undefined;
    RE.subscribe(async (name, doc) => {
      if (name === "stop") stop = doc;
      if (name === "event") throw new Error("disk full while storing the event");
    });
    await assert.rejects(RE.call(bp.count([det], 3)), /disk full while storing the event/);
    assert.equal(stop?.["exit_status"], "fail");
  });

  test("with ignoreCallbackExceptions a rejection is reported and the plan goes on", async () => {
    const reported: string[] = [];
    const RE = new RunEngine({ ignoreCallbackExceptions: true });
    RE.dispatcher.reportError = (err, name) => reported.push(`${name}: ${String(err)}`);
    RE.subscribe(async (name, _doc) => {
      if (name === "event") throw new Error("slow disk gave up");
    });
    const result = await RE.call(bp.count([det], 2));
    assert.equal(result.exitStatus, "success");
    assert.deepEqual(reported, [
      "event: Error: slow disk gave up",
      "event: Error: slow disk gave up",
    ]);
  });
});
