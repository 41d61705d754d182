// Pausing and resuming: deferred (next checkpoint) and immediate (rewind and replay), inside a
// step scan, inside a fly scan, with devices that refuse replay, and without a checkpoint.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createSimBeamline, MockFlyer } from "@cerulean/devices/sim";
import {
  bps,
  count,
  type Plan,
  RunEngineInterrupted,
  run_wrapper,
  TransitionError,
} from "../../src/index.ts";
import { CountingDevice } from "../fakes.ts";
import { assertWellFormed, at, delay, docsNamed, recordingEngine } from "../helpers.ts";

const seqNums = (docs: ReturnType<typeof recordingEngine>["docs"]) =>
  docsNamed(docs, "event").map((e) => e["seq_num"]);

/** Calls the plan, expecting it to pause; returns once paused. */
async function callUntilPaused(
  RE: ReturnType<typeof recordingEngine>["RE"],
  plan: Plan<unknown>,
): Promise<void> {
  await assert.rejects(RE.call(plan), RunEngineInterrupted);
  assert.equal(RE.state, "paused");
}

/** Requests a pause once the motor has passed `x` (polling; the flyer moves it). */
function pauseWhenPast(
  RE: ReturnType<typeof recordingEngine>["RE"],
  motor: { position: number },
  x: number,
): void {
  const poll = setInterval(() => {
    if (motor.position >= x) {
      clearInterval(poll);
      RE.requestPause();
    }
  }, 2);
}

describe("pause and resume", () => {
  test("a deferred pause waits for the next checkpoint; resume goes on without replaying", async () => {
    const { det } = await createSimBeamline();
    const { RE, docs } = recordingEngine();
    let asked = false;
    RE.subscribe((name, _doc) => {
      if (name === "event" && !asked) {
        asked = true;
        RE.requestPause({ defer: true });
        assert.equal(RE.state, "running");
        assert.equal(RE.deferredPauseRequested, true);
      }
    });
    await callUntilPaused(RE, count([det], 4));
    assert.deepEqual(seqNums(docs), [1]);
    const result = await RE.resume();
    assert.equal(result.exitStatus, "success");
    assert.deepEqual(seqNums(docs), [1, 2, 3, 4]);
    assertWellFormed(docs);
  });

  test("an immediate pause rewinds to the last checkpoint and replays from there", async () => {
    const { det } = await createSimBeamline();
    const { RE, docs } = recordingEngine();
    const plan = run_wrapper(
      (function* () {
        yield* bps.checkpoint();
        yield* bps.trigger_and_read([det]);
        yield* bps.sleep(5);
        yield* bps.checkpoint();
        yield* bps.trigger_and_read([det]);
      })(),
    );
    // Pause while the sleep is in flight (the hook runs just before the message).
    RE.msgHook = (m) => {
      if (m.command === "sleep") setImmediate(() => RE.requestPause());
    };
    await callUntilPaused(RE, plan);
    assert.deepEqual(seqNums(docs), [1]);
    // On resume the point since the checkpoint is taken again (same seq_num), then the sleep,
    // during which it pauses again.
    await assert.rejects(RE.resume(), RunEngineInterrupted);
    assert.deepEqual(seqNums(docs), [1, 1]);
    const stopped = await RE.stop();
    assert.equal(stopped.exitStatus, "success");
    const [stop] = assertWellFormed(docs);
    assert.deepEqual(stop?.["num_events"], { primary: 1 });
  });

  test("a pause message in the plan pauses it; replayed messages answer the plan as before", async () => {
    const { det } = await createSimBeamline();
    const { RE, docs } = recordingEngine();
    const seen: unknown[] = [];
    const plan = run_wrapper(
      (function* () {
        yield* bps.checkpoint();
        const reading = yield* bps.trigger_and_read([det]);
        seen.push(Object.keys(reading));
        yield* bps.pause();
        seen.push("after pause");
      })(),
    );
    await callUntilPaused(RE, plan);
    await RE.resume();
    assert.deepEqual(seen, [["det"], "after pause"]);
    assert.deepEqual(seqNums(docs), [1, 1]);
    assertWellFormed(docs);
  });

  test("pause inside a step scan stops the moving motor; resume finishes the move and the scan", async () => {
    const { motor, det } = await createSimBeamline({ velocity: 2 });
    const { RE, docs } = recordingEngine();
    const plan = run_wrapper(
      (function* () {
        for (const x of [0, 2, 4]) {
          yield* bps.checkpoint();
          yield* bps.mv(motor, x);
          yield* bps.trigger_and_read([det, motor]);
        }
      })(),
    );
    RE.subscribe((name, doc) => {
      if (name === "event" && (doc as { seq_num: number }).seq_num === 1)
        setTimeout(() => RE.requestPause(), 120);
    });
    await callUntilPaused(RE, plan);
    const stoppedAt = motor.position;
    assert.ok(stoppedAt > 0 && stoppedAt < 2, `motor stopped on its way to 2, at ${stoppedAt}`);
    await delay(60);
    assert.equal(motor.position, stoppedAt, "the motor stays stopped while paused");
    await RE.resume();
    assert.deepEqual(seqNums(docs), [1, 2, 3]);
    const positions = docsNamed(docs, "event").map(
      (e) => (e["data"] as Record<string, number>)["motor"],
    );
    assert.deepEqual(positions, [0, 2, 4]);
    assertWellFormed(docs);
  });

  test("Pausable devices are told: pause() on pause, resume() on resume", async () => {
    const dev = new CountingDevice("shutter");
    const { RE, docs } = recordingEngine();
    const plan = run_wrapper(
      (function* () {
        yield* bps.checkpoint();
        yield* bps.trigger_and_read([dev]);
        yield* bps.pause();
      })(),
    );
    await callUntilPaused(RE, plan);
    assert.deepEqual(dev.calls, ["pause"]);
    await RE.resume();
    assert.deepEqual(dev.calls, ["pause", "resume"]);
    assertWellFormed(docs);
  });

  test("pause inside a fly scan pauses the flyer, which goes on from where it was on resume", async () => {
    const { det, motor } = await createSimBeamline({ velocity: 25 });
    // 20 points 0.5 apart at 25 units/s: 20 ms a point.
    const flyer1 = new MockFlyer("flyer1", det, motor, [0, 9.5, 20], { startDelay: 0.01 });
    const { RE, docs } = recordingEngine();
    const plan = run_wrapper(
      (function* () {
        yield* bps.kickoff(flyer1, { wait: true });
        yield* bps.checkpoint();
        yield* bps.complete(flyer1, { wait: true });
        yield* bps.collect(flyer1);
      })(),
    );
    const calls: string[] = [];
    for (const method of ["pause", "resume"] as const) {
      const original = flyer1[method].bind(flyer1);
      flyer1[method] = async () => {
        calls.push(`${method} at ${motor.position}`);
        return original();
      };
    }
    pauseWhenPast(RE, motor, 3);
    await callUntilPaused(RE, plan);
    // The point under way when paused is finished; then the flyer holds.
    await delay(20);
    const heldAt = motor.position;
    assert.ok(heldAt > 0 && heldAt < 9.5, `paused mid-flight, at ${heldAt}`);
    await delay(40);
    assert.equal(motor.position, heldAt, "the flyer holds while paused");
    await RE.resume();
    assert.deepEqual(
      calls.map((c) => c.split(" ")[0]),
      ["pause", "resume"],
    );
    assert.equal(calls[1], `resume at ${heldAt}`);
    const [page] = docsNamed(docs, "event_page");
    const xs = (at(page, "data", "motor") ?? []) as number[];
    assert.equal(xs.length, 20, "every point of the fly scan was taken once");
    assert.deepEqual(
      xs,
      [...xs].sort((a, b) => a - b),
    );
    assertWellFormed(docs);
  });

  test("a flyer that refuses replay: nothing replayed, the interrupted wait is waited again", async () => {
    const { det, motor } = await createSimBeamline({ velocity: 25 });
    const flyer2 = new MockFlyer("flyer2", det, motor, [0, 9, 10], { startDelay: 0.01 });
    const guard = new CountingDevice(
      "guard",
      Object.assign(new Error("no replay"), { name: "NoReplayAllowed" }),
    );
    const { RE, docs } = recordingEngine();
    const plan = run_wrapper(
      (function* () {
        yield* bps.stage(guard);
        yield* bps.kickoff(flyer2, { wait: true });
        yield* bps.complete(flyer2, { wait: true });
        yield* bps.collect(flyer2);
      })(),
    );
    pauseWhenPast(RE, motor, 3);
    await callUntilPaused(RE, plan);
    assert.ok(guard.calls.includes("pause"));
    await RE.resume();
    const [page] = docsNamed(docs, "event_page");
    assert.equal((at(page, "data", "motor") as unknown[]).length, 10);
    assertWellFormed(docs);
  });

  test("a pause after clear_checkpoint cannot be resumed: the run aborts (FailedPause)", async () => {
    const { det } = await createSimBeamline();
    const { RE, docs } = recordingEngine();
    const plan = run_wrapper(
      (function* () {
        yield* bps.clear_checkpoint();
        yield* bps.trigger_and_read([det]);
        yield* bps.sleep(5);
      })(),
    );
    setTimeout(() => RE.requestPause(), 30);
    const result = await RE.call(plan);
    assert.equal(result.exitStatus, "abort");
    assert.equal(result.interrupted, true);
    assert.equal(RE.state, "idle");
    const [stop] = assertWellFormed(docs);
    assert.equal(stop?.["exit_status"], "abort");
    assert.match(String(stop?.["reason"]), /cannot be paused/);
  });

  test("a checkpoint after clear_checkpoint makes the plan resumable again", async () => {
    const { det } = await createSimBeamline();
    const { RE, docs } = recordingEngine();
    const plan = run_wrapper(
      (function* () {
        yield* bps.clear_checkpoint();
        yield* bps.checkpoint();
        yield* bps.trigger_and_read([det]);
        yield* bps.pause();
      })(),
    );
    await callUntilPaused(RE, plan);
    await RE.resume();
    assertWellFormed(docs);
  });

  test("pause only while running; resume only while paused", async () => {
    const { RE } = recordingEngine();
    assert.throws(() => RE.requestPause(), TransitionError);
    assert.throws(() => RE.resume(), TransitionError);
  });

  test("the interruptions stream records pause and resume", async () => {
    const { det } = await createSimBeamline();
    const { RE, docs } = recordingEngine({ recordInterruptions: true });
    const plan = run_wrapper(
      (function* () {
        yield* bps.checkpoint();
        yield* bps.trigger_and_read([det]);
        yield* bps.pause();
      })(),
    );
    await callUntilPaused(RE, plan);
    await RE.resume();
    const [interruptions] = docsNamed(docs, "descriptor");
    const marks = docsNamed(docs, "event")
      .filter((e) => e["descriptor"] === interruptions?.["uid"])
      .map((e) => (e["data"] as Record<string, string>)["interruption"]);
    assert.deepEqual(marks, ["pause", "resume"]);
    assertWellFormed(docs);
  });
});
