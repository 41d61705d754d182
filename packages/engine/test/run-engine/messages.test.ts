// Each message command: what it does and the value sent back into the plan.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createSimBeamline } from "@cerulean/devices/sim";
import {
  bps,
  IllegalMessageSequence,
  InvalidCommand,
  type Msg,
  msg,
  type Plan,
  ProtocolError,
  RunEngine,
  SuspendBoolHigh,
  WaitForTimeoutError,
} from "../../src/index.ts";
import { CountingDevice, StuckMotor } from "../fakes.ts";
import { assertWellFormed, at, docsNamed, names, recordingEngine } from "../helpers.ts";

/** Runs `plan` and returns the responses it recorded. */
async function responses(
  plan: (out: unknown[]) => Plan<unknown>,
  engine?: RunEngine,
): Promise<unknown[]> {
  const out: unknown[] = [];
  const RE = engine ?? recordingEngine().RE;
  await RE.call(plan(out));
  return out;
}

describe("messages", () => {
  test("null does nothing and answers undefined", async () => {
    const out = await responses(function* (o) {
      o.push(yield msg("null"));
    });
    assert.deepEqual(out, [undefined]);
  });

  test("open_run answers the start uid, close_run the same uid", async () => {
    const { RE, docs } = recordingEngine();
    const out = await responses(function* (o) {
      o.push(yield msg("open_run", null, { kwargs: { sample: "Si" } }));
      o.push(yield msg("close_run"));
    }, RE);
    const [start] = docsNamed(docs, "start");
    assert.equal(out[0], start?.["uid"]);
    assert.equal(out[1], start?.["uid"]);
    assert.equal(start?.["sample"], "Si");
    assertWellFormed(docs);
  });

  test("create/read/save bundle readings into one event; read answers the readings", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    const { RE, docs } = recordingEngine();
    const out = await responses(function* (o) {
      yield* bps.open_run();
      o.push(yield msg("create", null, { kwargs: { name: "primary" } }));
      o.push(yield msg("read", det));
      yield msg("read", motor);
      o.push(yield msg("save"));
      yield* bps.close_run();
    }, RE);
    assert.equal(out[0], undefined);
    assert.deepEqual(Object.keys(out[1] as object), ["det"]);
    assert.equal(out[2], undefined);
    const [event] = docsNamed(docs, "event");
    assert.deepEqual(Object.keys(event?.["data"] as object).sort(), [
      "det",
      "motor",
      "motor_setpoint",
    ]);
    assertWellFormed(docs);
  });

  test("read outside a run only answers the readings", async () => {
    const { det } = await createSimBeamline();
    const { RE, docs } = recordingEngine();
    const out = await responses(function* (o) {
      o.push(yield* bps.read(det));
    }, RE);
    assert.equal((out[0] as Record<string, { value: number }>)["det"]?.value, 1);
    assert.deepEqual(docs, []);
  });

  test("drop discards the bundle; save with nothing read emits nothing", async () => {
    const { det } = await createSimBeamline();
    const { RE, docs } = recordingEngine();
    await RE.call(
      (function* () {
        yield* bps.open_run();
        yield* bps.create();
        yield* bps.read(det);
        yield* bps.drop();
        yield* bps.create();
        yield* bps.save();
        yield* bps.close_run();
      })(),
    );
    assert.deepEqual(names(docs), ["start", "stop"]);
    assertWellFormed(docs);
  });

  test("save without create, a second create, create outside a run are IllegalMessageSequence", async () => {
    for (const bad of [
      [msg("open_run"), msg("save")],
      [
        msg("open_run"),
        msg("create", null, { args: ["primary"] }),
        msg("create", null, { args: ["x"] }),
      ],
      [msg("create", null, { args: ["primary"] })],
      [msg("close_run")],
      [msg("open_run"), msg("open_run")],
    ]) {
      const { RE, docs } = recordingEngine();
      await assert.rejects(RE.call(bad), IllegalMessageSequence);
      assertWellFormed(docs);
    }
  });

  test("trigger and set answer their Status; wait answers true when the group is done", async () => {
    const { det, motor } = await createSimBeamline();
    const out = await responses(function* (o) {
      const status = yield msg("trigger", det, { kwargs: { group: "A" } });
      o.push(typeof (status as { addCallback?: unknown }).addCallback);
      o.push(yield msg("set", motor, { args: [2], kwargs: { group: "A" } }));
      o.push(yield msg("wait", null, { kwargs: { group: "A" } }));
      o.push(yield* bps.rd(motor));
    });
    assert.equal(out[0], "function");
    assert.equal((out[1] as { done: boolean }).done, true);
    assert.equal(out[2], true);
    assert.equal(out[3], 2);
  });

  test("wait with a timeout raises WaitForTimeoutError; with error_on_timeout false answers false", async () => {
    const stuck = new StuckMotor("stuck");
    const { RE } = recordingEngine();
    await assert.rejects(
      RE.call(
        (function* () {
          yield msg("set", stuck, { args: [1], kwargs: { group: "g" } });
          yield* bps.wait("g", { timeout: 0.01 });
        })(),
      ),
      WaitForTimeoutError,
    );
    const out = await responses(function* (o) {
      yield msg("set", stuck, { args: [1], kwargs: { group: "g" } });
      o.push(yield* bps.wait("g", { timeout: 0.01, error_on_timeout: false }));
    });
    assert.deepEqual(out, [false]);
  });

  test("sleep waits and answers undefined", async () => {
    const out = await responses(function* (o) {
      const t0 = Date.now();
      o.push(yield* bps.sleep(0.02));
      o.push(Date.now() - t0 >= 15);
    });
    assert.deepEqual(out, [undefined, true]);
  });

  test("checkpoint between create and save is refused", async () => {
    const { RE, docs } = recordingEngine();
    await assert.rejects(
      RE.call([msg("open_run"), msg("create", null, { args: ["primary"] }), msg("checkpoint")]),
      IllegalMessageSequence,
    );
    assertWellFormed(docs);
  });

  test("rewindable answers the flag; null only asks", async () => {
    const out = await responses(function* (o) {
      o.push(yield msg("rewindable", null, { args: [null] }));
      o.push(yield msg("rewindable", null, { args: [false] }));
      o.push(yield msg("rewindable", null, { args: [null] }));
    });
    assert.deepEqual(out, [true, false, false]);
  });

  test("stop calls the device's stop()", async () => {
    const stuck = new StuckMotor("stuck");
    await responses(function* () {
      yield* bps.stop(stuck);
    });
    assert.equal(stuck.stops, 1);
  });

  test("locate answers {setpoint, readback}; several objects give a list", async () => {
    const { motor, motor1 } = await createSimBeamline();
    const out = await responses(function* (o) {
      yield* bps.mv(motor, 1.5, motor1, -1);
      o.push(yield* bps.locate(motor));
      o.push(yield* bps.locate(motor, motor1));
      o.push(yield* bps.locate(motor, { squeeze: false }));
    });
    assert.deepEqual(out[0], { setpoint: 1.5, readback: 1.5 });
    assert.deepEqual(out[1], [
      { setpoint: 1.5, readback: 1.5 },
      { setpoint: -1, readback: -1 },
    ]);
    assert.deepEqual(out[2], [{ setpoint: 1.5, readback: 1.5 }]);
  });

  test("configure answers [old, new] and re-emits the descriptors holding the device", async () => {
    const dev = new CountingDevice("cam");
    const { RE, docs } = recordingEngine();
    const out = await responses(function* (o) {
      yield* bps.open_run();
      yield* bps.trigger_and_read([dev]);
      o.push(yield* bps.configure(dev, { gain: 4 }));
      yield* bps.trigger_and_read([dev]);
      yield* bps.close_run();
    }, RE);
    assert.deepEqual(out[0], [{ gain: 1 }, { gain: 4 }]);
    const descriptors = docsNamed(docs, "descriptor");
    assert.equal(descriptors.length, 2);
    const gain = (d: Record<string, unknown> | undefined) =>
      at(d, "configuration", "cam", "data", "cam_gain");
    assert.equal(gain(descriptors[0]), 1);
    assert.equal(gain(descriptors[1]), 4);
    const events = docsNamed(docs, "event");
    assert.equal(events[1]?.["descriptor"], descriptors[1]?.["uid"]);
    assert.deepEqual(
      events.map((e) => e["seq_num"]),
      [1, 2],
    );
    assertWellFormed(docs);
  });

  test("stage/unstage call the device and answer what it returned; not stageable answers []", async () => {
    const dev = new CountingDevice("cam");
    const out = await responses(function* (o) {
      o.push(yield* bps.stage({ name: "plain" }));
      const status = yield* bps.stage(dev);
      o.push((status as { done: boolean }).done);
      yield* bps.unstage(dev);
    });
    assert.deepEqual(out, [[], true]);
    assert.deepEqual(dev.calls, ["stage", "unstage"]);
  });

  test("devices left staged are unstaged at the end", async () => {
    const dev = new CountingDevice("cam");
    await responses(function* () {
      yield* bps.stage(dev);
    });
    assert.deepEqual(dev.calls, ["stage", "unstage"]);
  });

  test("subscribe answers a token; the subscription lasts until unsubscribe or the end of the call", async () => {
    const { det } = await createSimBeamline();
    const seen: string[] = [];
    const RE = new RunEngine({ log: { info() {}, warn() {} } });
    const out = await responses(function* (o) {
      const token = yield* bps.subscribe("event", (name, _doc) => {
        seen.push(name);
      });
      o.push(typeof token);
      yield* bps.open_run();
      yield* bps.trigger_and_read([det]);
      yield* bps.unsubscribe(token);
      yield* bps.trigger_and_read([det]);
      yield* bps.close_run();
    }, RE);
    assert.deepEqual(out, ["number"]);
    assert.deepEqual(seen, ["event"]);
    assert.deepEqual(RE.dispatcher.tokens, []);
  });

  test("monitor emits a descriptor and an event per update until unmonitor", async () => {
    const { sig } = await createSimBeamline();
    const { RE, docs } = recordingEngine();
    await RE.call(
      (function* () {
        yield* bps.open_run();
        yield* bps.monitor(sig, { name: "sig_monitor" });
        yield* bps.mv(sig, 1);
        yield* bps.mv(sig, 2);
        yield* bps.unmonitor(sig);
        yield* bps.mv(sig, 3);
        yield* bps.close_run();
      })(),
    );
    const [descriptor] = docsNamed(docs, "descriptor");
    assert.equal(descriptor?.["name"], "sig_monitor");
    const values = docsNamed(docs, "event").map(
      (e) => (e["data"] as Record<string, number>)["sig"],
    );
    assert.deepEqual(values, [0, 1, 2]);
    assertWellFormed(docs);
  });

  test("declare_stream emits the descriptor and answers [descriptor, composeEvent, objs]", async () => {
    const { det } = await createSimBeamline();
    const { RE, docs } = recordingEngine();
    const out = await responses(function* (o) {
      yield* bps.open_run();
      o.push(yield* bps.declare_stream(det, { name: "primary" }));
      yield* bps.trigger_and_read([det]);
      yield* bps.close_run();
    }, RE);
    const [descriptor, composeEvent, objs] = out[0] as [
      Record<string, unknown>,
      unknown,
      unknown[],
    ];
    assert.equal(descriptor["name"], "primary");
    assert.equal(typeof composeEvent, "function");
    assert.deepEqual(objs, [det]);
    assert.deepEqual(names(docs), ["start", "descriptor", "event", "stop"]);
    assertWellFormed(docs);
  });

  test("kickoff, complete and collect answer statuses and the collected payload", async () => {
    const { trivial_flyer } = await createSimBeamline();
    const { RE, docs } = recordingEngine();
    const out = await responses(function* (o) {
      yield* bps.open_run();
      o.push(((yield* bps.kickoff(trivial_flyer, { wait: true })) as { done: boolean }).done);
      o.push(((yield* bps.complete(trivial_flyer, { wait: true })) as { done: boolean }).done);
      o.push(yield* bps.collect(trivial_flyer));
      yield* bps.close_run();
    }, RE);
    assert.deepEqual(out.slice(0, 2), [true, true]);
    assert.ok(Array.isArray(out[2]));
    assertWellFormed(docs);
  });

  test("kickoff and collect need an open run", async () => {
    const { trivial_flyer } = await createSimBeamline();
    for (const m of [msg("kickoff", trivial_flyer), msg("collect", trivial_flyer)]) {
      const { RE } = recordingEngine();
      await assert.rejects(RE.call([m]), IllegalMessageSequence);
    }
  });

  test("prepare answers the device's Status", async () => {
    const { image_det } = await createSimBeamline({
      dataDir: `/tmp/cerulean-engine-test-${process.pid}`,
    });
    const out = await responses(function* (o) {
      const status = yield* bps.prepare(
        image_det,
        { frames: 2, exposureTime: 0.001 },
        { wait: true },
      );
      o.push((status as { success: boolean }).success);
    });
    assert.deepEqual(out, [true]);
  });

  test("wait_for awaits promises or functions returning them and answers their values", async () => {
    const out = await responses(function* (o) {
      o.push(yield* bps.wait_for([Promise.resolve(1), () => Promise.resolve(2)]));
    });
    assert.deepEqual(out, [[1, 2]]);
    const { RE } = recordingEngine();
    await assert.rejects(
      RE.call(bps.wait_for([new Promise(() => {})], { timeout: 0.01 })),
      WaitForTimeoutError,
    );
  });

  test("input answers the line read", async () => {
    const { RE } = recordingEngine({ input: async (prompt) => `answer to ${prompt}` });
    const out = await responses(function* (o) {
      o.push(yield* bps.input_plan("q?"));
    }, RE);
    assert.deepEqual(out, ["answer to q?"]);
  });

  test("install_suspender and remove_suspender change the engine's suspenders", async () => {
    const { bool_sig } = await createSimBeamline();
    const { RE } = recordingEngine();
    const suspender = new SuspendBoolHigh(bool_sig);
    const out = await responses(function* (o) {
      yield* bps.install_suspender(suspender);
      o.push(RE.suspenders.has(suspender));
      yield* bps.remove_suspender(suspender);
      o.push(RE.suspenders.has(suspender));
    }, RE);
    assert.deepEqual(out, [true, false]);
  });

  test("RE_class answers the RunEngine class; pause and resume messages exist", async () => {
    const out = await responses(function* (o) {
      o.push(yield msg("RE_class"));
      o.push(yield msg("resume"));
    });
    assert.deepEqual(out, [RunEngine, undefined]);
  });

  test("an unknown command throws InvalidCommand into the plan, which may catch it", async () => {
    const out = await responses(function* (o) {
      try {
        yield msg("frobnicate");
      } catch (err) {
        o.push(err instanceof InvalidCommand && err.message.includes("frobnicate"));
      }
    });
    assert.deepEqual(out, [true]);
  });

  test("a message to an object lacking the protocol throws ProtocolError naming it", async () => {
    const { RE } = recordingEngine();
    await assert.rejects(RE.call([msg("trigger", { name: "rock" })]), (err: Error) => {
      assert.ok(err instanceof ProtocolError);
      assert.match(err.message, /rock/);
      return true;
    });
  });

  test("plugins register new commands; their handler's value is sent back", async () => {
    const { RE } = recordingEngine();
    RE.registerCommand("double", (m: Msg) => (m.args[0] as number) * 2);
    RE.registerCommand("later", async (m: Msg) => `later ${String(m.args[0])}`);
    const out = await responses(function* (o) {
      o.push(yield msg("double", null, { args: [21] }));
      o.push(yield msg("later", null, { args: ["x"] }));
    }, RE);
    assert.deepEqual(out, [42, "later x"]);
    assert.ok(RE.commands.has("double"));
    RE.unregisterCommand("double");
    await assert.rejects(RE.call([msg("double", null, { args: [1] })]), InvalidCommand);
  });

  test("a plan may be a plain list of messages, and its return value comes back", async () => {
    const { RE } = recordingEngine();
    const result = await RE.call(
      (function* () {
        yield msg("null");
        return 7;
      })(),
    );
    assert.equal(result.planResult, 7);
    const listed = await RE.call([msg("null"), msg("null")]);
    assert.deepEqual(listed.runStartUids, []);
  });

  test("messages with synchronous handlers run without a turn of the event loop", async () => {
    const { RE } = recordingEngine();
    let turned = false;
    setImmediate(() => {
      turned = true;
    });
    await RE.call(Array.from({ length: 500 }, () => msg("null")));
    assert.equal(turned, false);
  });
});
