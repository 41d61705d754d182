// stop, abort and halt from each state: exit status, reason, which cleanup runs.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createSimBeamline } from "@cerulean/devices/sim";
import {
  bps,
  finalize_wrapper,
  type Plan,
  RequestAbort,
  RequestStop,
  RunEngineInterrupted,
  run_wrapper,
  SuspendBoolHigh,
  TransitionError,
} from "../../src/index.ts";
import { CountingDevice } from "../fakes.ts";
import { assertWellFormed, delay, docsNamed, recordingEngine } from "../helpers.ts";

/** A run with a long sleep, a staged device and a cleanup plan that records itself. */
function sleepyPlan(log: string[], dev: CountingDevice): Plan<unknown> {
  return finalize_wrapper(
    run_wrapper(
      (function* () {
        yield* bps.stage(dev);
        yield* bps.checkpoint();
        yield* bps.trigger_and_read([dev]);
        try {
          yield* bps.sleep(10);
        } catch (err) {
          log.push(`plan saw ${(err as Error).name}`);
          throw err;
        }
      })(),
    ),
    function* cleanup() {
      log.push("cleanup plan");
      yield* bps.null();
      log.push("cleanup plan ran a message");
    },
  );
}

type Ending = "stop" | "abort" | "halt";
const expected: Record<Ending, { exit: string; seen: string[] }> = {
  stop: {
    exit: "success",
    seen: ["plan saw RequestStop", "cleanup plan", "cleanup plan ran a message"],
  },
  abort: {
    exit: "abort",
    seen: ["plan saw RequestAbort", "cleanup plan", "cleanup plan ran a message"],
  },
  halt: { exit: "abort", seen: ["cleanup plan"] },
};

function end(RE: ReturnType<typeof recordingEngine>["RE"], how: Ending) {
  return how === "stop" ? RE.stop() : how === "abort" ? RE.abort("sample fell off") : RE.halt();
}

describe("stop, abort, halt", () => {
  for (const how of ["stop", "abort", "halt"] as const) {
    test(`${how} while running ends the run with exit_status ${expected[how].exit}`, async () => {
      const dev = new CountingDevice("dev");
      const { RE, docs } = recordingEngine();
      const log: string[] = [];
      const call = RE.call(sleepyPlan(log, dev));
      await delay(30);
      assert.equal(RE.state, "running");
      const result = await end(RE, how);
      const callResult = await call;
      assert.equal(callResult, result);
      assert.equal(result.exitStatus, expected[how].exit);
      assert.equal(result.interrupted, true);
      assert.equal(RE.state, "idle");
      assert.deepEqual(log, expected[how].seen);
      // Engine-level cleanup always runs: staged devices are unstaged.
      assert.deepEqual(dev.calls, ["stage", "unstage"]);
      const [stop] = assertWellFormed(docs);
      assert.equal(stop?.["exit_status"], expected[how].exit);
      if (how === "abort") assert.equal(stop?.["reason"], "sample fell off");
    });

    test(`${how} while paused cleans up and resolves with exit_status ${expected[how].exit}`, async () => {
      const dev = new CountingDevice("dev");
      const { RE, docs } = recordingEngine();
      const log: string[] = [];
      const call = RE.call(sleepyPlan(log, dev));
      await delay(30);
      RE.requestPause();
      await assert.rejects(call, RunEngineInterrupted);
      assert.equal(RE.state, "paused");
      const result = await end(RE, how);
      assert.equal(result.exitStatus, expected[how].exit);
      assert.equal(RE.state, "idle");
      assert.deepEqual(dev.calls, ["stage", "pause", "unstage"]);
      const [stop] = assertWellFormed(docs);
      assert.equal(stop?.["exit_status"], expected[how].exit);
      if (how !== "halt")
        assert.equal(log[0], `plan saw ${how === "stop" ? "RequestStop" : "RequestAbort"}`);
    });

    test(`${how} from idle is a TransitionError`, async () => {
      const { RE } = recordingEngine();
      await assert.rejects(end(RE, how), TransitionError);
    });
  }

  test("while pausing (devices pausing), abort and halt are allowed, stop is not", async () => {
    for (const how of ["abort", "halt", "stop"] as const) {
      let release = () => {};
      const slow = new CountingDevice("slow");
      slow.pause = async () => {
        slow.calls.push("pause");
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      };
      const { RE, docs } = recordingEngine();
      const call = RE.call(sleepyPlan([], slow));
      await delay(30);
      RE.requestPause();
      await delay(10);
      assert.equal(RE.state, "pausing");
      if (how === "stop") {
        await assert.rejects(RE.stop(), TransitionError);
        release();
        await assert.rejects(call, RunEngineInterrupted);
        await RE.abort();
      } else {
        const ended = end(RE, how);
        release();
        const result = await ended;
        assert.equal(result.exitStatus, "abort");
        assert.equal((await call).exitStatus, "abort");
      }
      assert.equal(RE.state, "idle");
      assertWellFormed(docs);
    }
  });

  test("while suspending (a slow read in flight), abort is allowed", async () => {
    const { bool_sig } = await createSimBeamline();
    const { RE, docs } = recordingEngine();
    const slow = new CountingDevice("slow");
    slow.read = async () => {
      await delay(80);
      return { slow: { value: 1, timestamp: Date.now() / 1000 } };
    };
    RE.installSuspender(new SuspendBoolHigh(bool_sig));
    const call = RE.call(
      run_wrapper(
        (function* () {
          yield* bps.checkpoint();
          yield* bps.trigger_and_read([slow]);
        })(),
      ),
    );
    await delay(30);
    await bool_sig.set(true);
    assert.equal(RE.state, "suspending");
    const result = await RE.abort("beam lost for good");
    assert.equal(result.exitStatus, "abort");
    assert.equal((await call).reason, "beam lost for good");
    const [stop] = assertWellFormed(docs);
    assert.equal(stop?.["reason"], "beam lost for good");
    RE.clearSuspenders();
  });

  test("from stopping, aborting or halting another ending is a TransitionError", async () => {
    const dev = new CountingDevice("dev");
    const { RE } = recordingEngine();
    const call = RE.call(
      finalize_wrapper(
        run_wrapper(bps.sleep(10)),
        // A slow cleanup keeps the engine in 'stopping'.
        () => bps.sleep(0.05),
      ),
    );
    await delay(20);
    const stopped = RE.stop();
    assert.equal(RE.state, "stopping");
    await assert.rejects(RE.abort(), TransitionError);
    await assert.rejects(RE.halt(), TransitionError);
    assert.equal((await stopped).exitStatus, "success");
    await call;
    assert.deepEqual(dev.calls, []);
  });

  test("a plan that catches RequestStop and returns still ends successfully", async () => {
    const { RE, docs } = recordingEngine();
    const seen: unknown[] = [];
    const call = RE.call(
      run_wrapper(
        (function* () {
          try {
            yield* bps.sleep(10);
          } catch (err) {
            seen.push(err instanceof RequestStop);
          }
        })(),
      ),
    );
    await delay(20);
    await RE.stop();
    assert.deepEqual(seen, [true]);
    assert.equal((await call).exitStatus, "success");
    assertWellFormed(docs);
  });

  test("an abort reaches the plan as RequestAbort with the reason", async () => {
    const { RE } = recordingEngine();
    const seen: string[] = [];
    const call = RE.call(
      (function* () {
        try {
          yield* bps.sleep(10);
        } catch (err) {
          if (err instanceof RequestAbort) seen.push(err.reason);
          throw err;
        }
      })(),
    );
    await delay(20);
    await RE.abort("why not");
    await call;
    assert.deepEqual(seen, ["why not"]);
  });

  test("reset halts a running plan and forgets subscriptions", async () => {
    const { RE, docs } = recordingEngine();
    const call = RE.call(run_wrapper(bps.sleep(10)));
    await delay(20);
    await RE.reset();
    assert.equal(RE.state, "idle");
    assert.equal((await call).exitStatus, "abort");
    assert.deepEqual(RE.dispatcher.tokens, []);
    assert.equal(docsNamed(docs, "stop").length, 1);
  });
});
