// Suspenders: the conditions, and suspending/resuming a running plan (with pre/post plans,
// tripped at start, paused while suspended, not resumable).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Readings, ReadingsCallback } from "@cerulean/devices/protocols";
import { createSimBeamline } from "@cerulean/devices/sim";
import {
  bps,
  count,
  type EngineState,
  msg,
  PlanArgumentError,
  RunEngineInterrupted,
  run_wrapper,
  SuspendBoolHigh,
  SuspendBoolLow,
  SuspendCeil,
  type SuspenderBase,
  SuspendFloor,
  SuspendInBand,
  SuspendOutBand,
  SuspendWhenChanged,
  SuspendWhenOutsideBand,
} from "../../src/index.ts";
import { assertWellFormed, at, delay, docsNamed, recordingEngine } from "../helpers.ts";

/** A signal whose value the test sets; callbacks run at once, as a device's subscribe does. */
class TestSignal {
  readonly callbacks = new Set<ReadingsCallback>();
  constructor(
    readonly name: string,
    public value: unknown,
  ) {}
  subscribe(callback: ReadingsCallback): () => void {
    this.callbacks.add(callback);
    callback(this.readings());
    return () => this.callbacks.delete(callback);
  }
  clearSub(callback: ReadingsCallback): void {
    this.callbacks.delete(callback);
  }
  put(value: unknown): void {
    this.value = value;
    for (const cb of [...this.callbacks]) cb(this.readings());
  }
  readings(): Readings {
    return { [this.name]: { value: this.value, timestamp: Date.now() / 1000 } };
  }
}

/** Feeds values to an installed suspender and returns whether it was tripped after each. */
function trips(suspender: SuspenderBase, signal: TestSignal, values: unknown[]): boolean[] {
  const requests: string[] = [];
  signal.value = values[0];
  suspender.install({
    state: "running" as EngineState,
    requestSuspend: (_r, o) => requests.push(o.justification ?? ""),
  });
  const out = values.map((v) => {
    signal.put(v);
    return suspender.tripped;
  });
  suspender.remove();
  return out;
}

describe("suspender conditions", () => {
  test("bool high/low", () => {
    const s = new TestSignal("shutter", 0);
    assert.deepEqual(trips(new SuspendBoolHigh(s, { sleep: 1 }), s, [0, 1, 1]), [
      false,
      true,
      true,
    ]);
    assert.deepEqual(trips(new SuspendBoolLow(s), s, [1, 0]), [false, true]);
  });

  test("floor and ceiling with resume thresholds", () => {
    const s = new TestSignal("current", 500);
    const floor = new SuspendFloor(s, 100, { resume_thresh: 400, sleep: 10 });
    assert.deepEqual(trips(floor, s, [500, 50]), [false, true]);
    const ceil = new SuspendCeil(s, 10, { resume_thresh: 5 });
    assert.deepEqual(trips(ceil, s, [1, 11]), [false, true]);
    assert.throws(() => new SuspendFloor(s, 100, { resume_thresh: 50 }), PlanArgumentError);
    assert.throws(() => new SuspendCeil(s, 10, { resume_thresh: 50 }), PlanArgumentError);
  });

  test("bands", () => {
    const s = new TestSignal("temp", 5);
    assert.deepEqual(trips(new SuspendWhenOutsideBand(s, 0, 10), s, [5, 12]), [false, true]);
    assert.deepEqual(trips(new SuspendInBand(s, 0, 10), s, [5, -1]), [false, true]);
    assert.deepEqual(trips(new SuspendOutBand(s, 0, 10), s, [12, 5]), [false, true]);
    assert.throws(() => new SuspendWhenOutsideBand(s, 10, 0), PlanArgumentError);
  });

  test("when changed: from the expected value, or the first seen", () => {
    const s = new TestSignal("mode", "A");
    assert.deepEqual(trips(new SuspendWhenChanged(s), s, ["A", "B"]), [false, true]);
    assert.deepEqual(trips(new SuspendWhenChanged(s, { expected_value: "B" }), s, ["B", "C"]), [
      false,
      true,
    ]);
  });

  test("the justification names the signal and adds the tripped message", () => {
    const s = new TestSignal("ring_current", 500);
    const floor = new SuspendFloor(s, 100, { tripped_message: "beam dumped" });
    let why = "";
    floor.install({ state: "running", requestSuspend: (_r, o) => (why = o.justification ?? "") });
    s.put(3);
    floor.remove();
    assert.match(why, /ring_current/);
    assert.match(why, /beam dumped$/);
  });

  test("resumes only after the condition stayed clear for `sleep` seconds", async () => {
    const s = new TestSignal("shutter", 0);
    const suspender = new SuspendBoolHigh(s, { sleep: 0.05 });
    let release: Promise<unknown> | undefined;
    suspender.install({ state: "running", requestSuspend: (r) => (release = r) });
    s.put(1);
    let released = false;
    void release?.then(() => (released = true));
    s.put(0);
    await delay(20);
    s.put(1); // trips again before the sleep is over: no release
    s.put(0);
    await delay(30);
    assert.equal(released, false);
    await delay(40);
    assert.equal(released, true);
    suspender.remove();
  });
});

describe("suspending a running plan", () => {
  test("a plan suspends while the condition holds, redoes the point, and resumes", async () => {
    const { det } = await createSimBeamline();
    const shutter = new TestSignal("shutter_closed", 0);
    const { RE, docs } = recordingEngine({ recordInterruptions: true });
    const log: string[] = [];
    const suspender = new SuspendBoolHigh(shutter, {
      sleep: 0.02,
      pre_plan: function* () {
        log.push("pre");
        yield* bps.null();
      },
      post_plan: () => [msg("null")],
    });
    RE.installSuspender(suspender);
    const states: string[] = [];
    RE.stateHook = (state) => states.push(state);
    const call = RE.call(count([det], 5, 0.03));
    await delay(45);
    shutter.put(1);
    await delay(30);
    const during = docsNamed(docs, "event").length;
    await delay(50);
    assert.equal(docsNamed(docs, "event").length, during, "no data while suspended");
    shutter.put(0);
    const result = await call;
    assert.equal(result.exitStatus, "success");
    assert.deepEqual(log, ["pre"]);
    assert.ok(states.includes("suspending"));
    const marks = docsNamed(docs, "event")
      .filter((e) => "interruption" in (e["data"] as object))
      .map((e) => (e["data"] as Record<string, string>)["interruption"]);
    assert.equal(marks.length, 1);
    assert.match(marks[0] ?? "", /shutter_closed is high/);
    const [stop] = assertWellFormed(docs);
    assert.deepEqual(at(stop, "num_events", "primary"), 5);
    RE.clearSuspenders();
  });

  test("a plan started while a suspender is tripped waits for it to clear", async () => {
    const { det } = await createSimBeamline();
    const { RE, docs } = recordingEngine();
    const beam = new TestSignal("beam", 0);
    RE.installSuspender(new SuspendFloor(beam, 100));
    const call = RE.call(count([det]));
    await delay(30);
    assert.deepEqual(docs, []);
    beam.put(500);
    await call;
    assertWellFormed(docs);
    RE.clearSuspenders();
  });

  test("the sim beam current dumps and restores: the plan waits for the beam", async () => {
    const { det, beam_current } = await createSimBeamline();
    const { RE, docs } = recordingEngine();
    RE.installSuspender(new SuspendFloor(beam_current, 100, { resume_thresh: 400 }));
    const call = RE.call(count([det], 3, 0.1));
    await delay(20);
    beam_current.dump();
    await delay(150);
    const held = docsNamed(docs, "event").length;
    assert.ok(held < 3);
    beam_current.restore();
    await call;
    assertWellFormed(docs);
    RE.clearSuspenders();
  });

  test("a pause while suspended: resume keeps waiting for the suspender", async () => {
    const { det } = await createSimBeamline();
    const shutter = new TestSignal("shutter_closed", 0);
    const { RE, docs } = recordingEngine();
    RE.installSuspender(new SuspendBoolHigh(shutter));
    const call = RE.call(
      run_wrapper(
        (function* () {
          yield* bps.checkpoint();
          yield* bps.trigger_and_read([det]);
          yield* bps.sleep(0.5);
          yield* bps.checkpoint();
          yield* bps.trigger_and_read([det]);
        })(),
      ),
    );
    await delay(20);
    shutter.put(1);
    await delay(20);
    RE.requestPause();
    await assert.rejects(call, RunEngineInterrupted);
    const resumed = RE.resume();
    await delay(50);
    assert.equal(RE.state, "running");
    assert.equal(docsNamed(docs, "event").length, 1, "still suspended after resume");
    shutter.put(0);
    await resumed;
    const [stop] = assertWellFormed(docs);
    assert.deepEqual(stop?.["num_events"], { primary: 2 });
    RE.clearSuspenders();
  });

  test("a suspension where the plan cannot be resumed aborts it", async () => {
    const shutter = new TestSignal("shutter_closed", 0);
    const { RE, docs } = recordingEngine();
    RE.installSuspender(new SuspendBoolHigh(shutter));
    const call = RE.call(
      run_wrapper(
        (function* () {
          yield* bps.clear_checkpoint();
          yield* bps.sleep(10);
        })(),
      ),
    );
    await delay(20);
    shutter.put(1);
    const result = await call;
    assert.equal(result.exitStatus, "abort");
    assertWellFormed(docs);
    RE.clearSuspenders();
  });
});
