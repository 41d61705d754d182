// Failures: plans that throw, devices that fail or hang, subscribers that throw, plans catching.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createSimBeamline } from "@cerulean/devices/sim";
import { bps, count, DeviceError, FailedStatus, msg, run_wrapper } from "../../src/index.ts";
import { FlakyDetector, StuckMotor } from "../fakes.ts";
import { assertWellFormed, delay, docsNamed, names, recordingEngine } from "../helpers.ts";

describe("failures", () => {
  test("an exception escaping the plan ends the run with 'fail' and its message; call rejects with it", async () => {
    const { det } = await createSimBeamline();
    const { RE, docs } = recordingEngine();
    const boom = new Error("the sample is on fire");
    await assert.rejects(
      RE.call(
        run_wrapper(
          (function* () {
            yield* bps.trigger_and_read([det]);
            throw boom;
          })(),
        ),
      ),
      (err) => err === boom,
    );
    assert.equal(RE.state, "idle");
    const [stop] = assertWellFormed(docs);
    assert.equal(stop?.["exit_status"], "fail");
    assert.equal(stop?.["reason"], "the sample is on fire");
  });

  test("a run opened without run_wrapper is still closed with 'fail' when the plan throws", async () => {
    const { RE, docs } = recordingEngine();
    await assert.rejects(
      RE.call(
        (function* () {
          yield* bps.open_run();
          throw new Error("oops");
        })(),
      ),
      /oops/,
    );
    const [stop] = assertWellFormed(docs);
    assert.equal(stop?.["exit_status"], "fail");
    assert.equal(stop?.["reason"], "oops");
  });

  test("a device whose read fails raises DeviceError naming it; the bundle is dropped", async () => {
    const flaky = new FlakyDetector("flaky");
    const { RE, docs } = recordingEngine();
    await assert.rejects(RE.call(count([flaky], 3)), (err: Error) => {
      assert.ok(err instanceof DeviceError);
      assert.equal(err.device, "flaky");
      assert.match(err.message, /"read" of device "flaky" failed: flaky: sensor disconnected/);
      return true;
    });
    assert.deepEqual(names(docs), ["start", "stop"]);
    const [stop] = assertWellFormed(docs);
    assert.match(String(stop?.["reason"]), /sensor disconnected/);
  });

  test("plans can catch device errors and go on", async () => {
    const flaky = new FlakyDetector("flaky", 1);
    const { RE, docs } = recordingEngine();
    const caught: string[] = [];
    const result = await RE.call(
      run_wrapper(
        (function* () {
          for (let i = 0; i < 3; i++) {
            try {
              yield* bps.trigger_and_read([flaky]);
            } catch (err) {
              caught.push((err as Error).name);
            }
          }
        })(),
      ),
    );
    assert.equal(result.exitStatus, "success");
    assert.deepEqual(caught, ["DeviceError", "DeviceError"]);
    const [stop] = assertWellFormed(docs);
    assert.deepEqual(stop?.["num_events"], { primary: 1 });
  });

  test("a failed move raises FailedStatus at the wait; the plan may catch it", async () => {
    const broken = new StuckMotor("broken", "fail");
    const { RE } = recordingEngine();
    const caught: unknown[] = [];
    await RE.call(
      (function* () {
        try {
          yield* bps.mv(broken, 1);
        } catch (err) {
          caught.push(
            err instanceof FailedStatus && /broken.*limit switch hit/.test((err as Error).message),
          );
        }
      })(),
    );
    assert.deepEqual(caught, [true]);
  });

  test("a status failing while nobody waits is raised at the plan's next step", async () => {
    const broken = new StuckMotor("broken", "fail");
    const { RE, docs } = recordingEngine();
    const steps: string[] = [];
    await assert.rejects(
      RE.call(
        run_wrapper(
          (function* () {
            yield* bps.abs_set(broken, 1);
            steps.push("after set");
            yield* bps.null();
            steps.push("after null");
          })(),
        ),
      ),
      FailedStatus,
    );
    assert.deepEqual(steps, []);
    const [stop] = assertWellFormed(docs);
    assert.equal(stop?.["exit_status"], "fail");
  });

  test("a device that hangs can be aborted; the run still gets its stop", async () => {
    const stuck = new StuckMotor("stuck");
    const { RE, docs } = recordingEngine();
    const call = RE.call(run_wrapper(bps.mv(stuck, 3)));
    await delay(20);
    const result = await RE.abort("motor stuck");
    assert.equal(result.exitStatus, "abort");
    assert.equal((await call).exitStatus, "abort");
    assert.equal(stuck.stops, 1, "the moved motor was stopped");
    const [stop] = assertWellFormed(docs);
    assert.equal(stop?.["reason"], "motor stuck");
  });

  test("a hanging read (not a wait) is abandoned by halt", async () => {
    const { RE, docs } = recordingEngine();
    const hanging = new FlakyDetector("hanging");
    hanging.read = () => new Promise(() => {});
    const call = RE.call(run_wrapper(bps.trigger_and_read([hanging])));
    await delay(20);
    const result = await RE.halt();
    assert.equal(result.exitStatus, "abort");
    await call;
    assertWellFormed(docs);
  });

  test("a subscriber that throws fails the plan; the others still get every document", async () => {
    const { det } = await createSimBeamline();
    const { RE, docs } = recordingEngine();
    RE.subscribe(() => {
      throw new Error("buggy callback");
    }, "event");
    await assert.rejects(RE.call(count([det], 3)), /buggy callback/);
    assert.deepEqual(names(docs), ["start", "descriptor", "event", "stop"]);
    const [stop] = assertWellFormed(docs);
    assert.equal(stop?.["exit_status"], "fail");
    assert.equal(stop?.["reason"], "buggy callback");
  });

  test("with ignoreCallbackExceptions a throwing subscriber is reported and the run goes on", async () => {
    const { det } = await createSimBeamline();
    const { RE, docs, warnings } = recordingEngine({ ignoreCallbackExceptions: true });
    RE.subscribe(() => {
      throw new Error("buggy callback");
    });
    const result = await RE.call(count([det], 3));
    assert.equal(result.exitStatus, "success");
    assert.equal(docsNamed(docs, "event").length, 3);
    assert.equal(warnings.length, 6, "one report per document");
    assertWellFormed(docs);
  });

  test("a subscriber throwing on the start document still leaves the run with a stop", async () => {
    const { RE, docs } = recordingEngine();
    RE.subscribe(() => {
      throw new Error("no starts please");
    }, "start");
    await assert.rejects(RE.call(run_wrapper(bps.null())), /no starts please/);
    const [stop] = assertWellFormed(docs);
    assert.equal(stop?.["exit_status"], "fail");
  });

  test("a subscriber throwing on the stop document: its error is reported, the stop was sent", async () => {
    const { RE, docs } = recordingEngine();
    RE.subscribe(() => {
      throw new Error("cannot store the stop");
    }, "stop");
    await assert.rejects(RE.call(run_wrapper(bps.null())), /cannot store the stop/);
    const [stop] = assertWellFormed(docs);
    assert.equal(stop?.["exit_status"], "success");
  });

  test("metadata that is not plain data is refused at open_run", async () => {
    const { RE, docs } = recordingEngine();
    await assert.rejects(
      RE.call(run_wrapper(bps.null(), { md: { callback: () => 1 } })),
      /plain data/,
    );
    assert.deepEqual(docs, []);
  });

  test("a plan yielding something that is not a message gets a clear error", async () => {
    const { RE } = recordingEngine();
    await assert.rejects(
      RE.call(
        (function* () {
          yield 42 as never;
        })(),
      ),
      /plans yield Msg objects/,
    );
  });

  test("a second call while running is refused; the engine stays usable", async () => {
    const { RE } = recordingEngine();
    const first = RE.call([msg("sleep", null, { args: [0.02] })]);
    await assert.rejects(RE.call([msg("null")]), /one plan at a time/);
    await first;
    await RE.call([msg("null")]);
  });
});
