// The plan stubs and wrappers the engine ships for its own use (count and its building blocks).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createSimBeamline } from "@cerulean/devices/sim";
import {
  bps,
  count,
  msg,
  PlanArgumentError,
  RunEngineInterrupted,
  run_wrapper,
  set_run_key_wrapper,
  stage_wrapper,
} from "../../src/index.ts";
import { CountingDevice, FlakyDetector } from "../fakes.ts";
import { assertWellFormed, at, docsNamed, recordingEngine } from "../helpers.ts";

describe("count", () => {
  test("num = null counts until stopped", async () => {
    const { det } = await createSimBeamline();
    const { RE, docs } = recordingEngine();
    let events = 0;
    let stopped: Promise<unknown> | undefined;
    RE.subscribe((name, _doc) => {
      if (name === "event" && ++events === 3) stopped = RE.stop();
    });
    const result = await RE.call(count([det], null, 0.01));
    await stopped;
    assert.equal(result.exitStatus, "success");
    assert.equal(docsNamed(docs, "event").length, 3);
    const [start] = docsNamed(docs, "start");
    assert.equal(start?.["num_intervals"], null);
    assertWellFormed(docs);
  });

  test("repeat sleeps between iterations (one delay per interval, none after the last)", () => {
    const commands: string[] = [];
    const sleeps: number[] = [];
    const plan = bps.repeat(() => [msg("null")], 3, [0.3, 0.5]);
    for (let step = plan.next(); !step.done; step = plan.next()) {
      commands.push(step.value.command);
      if (step.value.command === "sleep") sleeps.push(step.value.args[0] as number);
    }
    assert.deepEqual(commands, [
      "checkpoint",
      "null",
      "sleep",
      "checkpoint",
      "null",
      "sleep",
      "checkpoint",
      "null",
    ]);
    // Each sleep is the delay minus the (tiny) time the iteration took.
    assert.ok(sleeps[0] !== undefined && sleeps[0] > 0.2 && sleeps[0] <= 0.3);
    assert.ok(sleeps[1] !== undefined && sleeps[1] > 0.4 && sleeps[1] <= 0.5);
    assert.throws(() => [...bps.repeat(() => [], 3, [0.1])], PlanArgumentError);
  });

  test("per_shot replaces the reading plan; user md wins and hints keep their dimensions", async () => {
    const { det } = await createSimBeamline();
    const { RE, docs } = recordingEngine();
    await RE.call(
      count([det], 2, {
        per_shot: (dets) => bps.trigger_and_read(dets, "custom"),
        md: { plan_name: "my_count", hints: { dimensions: [[["det"], "custom"]] } },
      }),
    );
    const [start] = docsNamed(docs, "start");
    assert.equal(start?.["plan_name"], "my_count");
    assert.deepEqual(at(start, "hints", "dimensions"), [[["det"], "custom"]]);
    assert.equal(docsNamed(docs, "descriptor")[0]?.["name"], "custom");
    assertWellFormed(docs);
  });

  test("bad arguments are refused before anything runs", () => {
    assert.throws(() => count("det" as never), PlanArgumentError);
    assert.throws(() => count([], 1.5), PlanArgumentError);
  });
});

describe("stubs and wrappers", () => {
  test("trigger_and_read of a device unsafe to re-trigger is not replayed after a pause", async () => {
    const once = Object.assign(new CountingDevice("once"), { rewindable: false });
    const { RE, docs } = recordingEngine();
    const plan = run_wrapper(
      (function* () {
        yield* bps.checkpoint();
        yield* bps.trigger_and_read([once]);
        yield* bps.pause();
      })(),
    );
    await assert.rejects(RE.call(plan), RunEngineInterrupted);
    await RE.resume();
    assert.deepEqual(
      docsNamed(docs, "event").map((e) => e["seq_num"]),
      [1],
    );
    assertWellFormed(docs);
  });

  test("stage_wrapper unstages (last first) even when the plan fails", async () => {
    const a = new CountingDevice("a");
    const b = new CountingDevice("b");
    const order: string[] = [];
    for (const dev of [a, b]) {
      const unstage = dev.unstage.bind(dev);
      dev.unstage = () => {
        order.push(dev.name);
        return unstage();
      };
    }
    const { RE } = recordingEngine();
    await assert.rejects(
      RE.call(stage_wrapper(run_wrapper(bps.trigger_and_read([new FlakyDetector("f")])), [a, b])),
      /sensor disconnected/,
    );
    assert.deepEqual(order, ["b", "a"]);
  });

  test("mv moves several motors together and answers their statuses", async () => {
    const { motor1, motor2 } = await createSimBeamline();
    const { RE } = recordingEngine();
    const result = await RE.call(bps.mv(motor1, 1, motor2, 2, { timeout: 1 }));
    assert.equal((result.planResult as unknown[]).length, 2);
    assert.deepEqual([motor1.position, motor2.position], [1, 2]);
  });

  test("set_run_key_wrapper stamps the run key on every message", async () => {
    const { RE } = recordingEngine();
    const keys: unknown[] = [];
    RE.msgHook = (m) => keys.push(m.run);
    await RE.call(set_run_key_wrapper([msg("open_run"), msg("close_run")], "A"));
    assert.deepEqual(keys, ["A", "A"]);
  });

  test("broadcast_msg, repeater and rd", async () => {
    const { motor } = await createSimBeamline();
    const a = new CountingDevice("a");
    const { RE } = recordingEngine();
    const result = await RE.call(
      (function* () {
        yield* bps.broadcast_msg("stage", [a]);
        yield* bps.repeater(2, () => bps.null());
        yield* bps.mv(motor, 3);
        return yield* bps.rd(motor);
      })(),
    );
    assert.equal(result.planResult, 3);
    assert.deepEqual(a.calls, ["stage", "unstage"]);
  });
});
