// The wrappers on the real RunEngine: relative/reset, baseline, monitors, flyers, subs,
// metadata injection, stub, lazy staging, suspenders, summaries and the decorator forms.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createSimBeamline } from "@cerulean/devices/sim";
import type { DocumentCallback } from "@cerulean/event-model";
import { bps, count, type Plan, PlanArgumentError, SuspendBoolHigh } from "../../src/index.ts";
import { scan } from "../../src/plans/index.ts";
import {
  baseline_wrapper,
  contingency_decorator,
  finalize_decorator,
  fly_during_wrapper,
  inject_md_decorator,
  inject_md_wrapper,
  lazily_stage_wrapper,
  monitor_during_wrapper,
  print_summary_wrapper,
  relative_set_decorator,
  relative_set_wrapper,
  reset_positions_decorator,
  reset_positions_wrapper,
  SupplementalData,
  stage_decorator,
  stub_wrapper,
  subs_wrapper,
  suspend_wrapper,
} from "../../src/preprocessors/index.ts";
import { run_wrapper } from "../../src/preprocessors/run-wrapper.ts";
import { CountingDevice } from "../fakes.ts";
import { assertWellFormed, docsNamed, names } from "../helpers.ts";
import { column, planEngine, setsOf } from "../plans/support.ts";

describe("relative_set_wrapper and reset_positions_wrapper", () => {
  test("sets become offsets from where each device was; reset moves them back", async () => {
    const { motor1, motor2 } = await createSimBeamline();
    await motor1.set(10);
    await motor2.set(20);
    const { RE, msgs } = planEngine();
    const plan = (function* (): Plan<void> {
      yield* bps.mv(motor1, 1, motor2, 2);
      yield* bps.mv(motor1, 3);
    })();
    await RE.call(reset_positions_wrapper(relative_set_wrapper(plan, [motor1])));
    assert.deepEqual(setsOf(msgs, "motor1"), [11, 13, 10]);
    // motor2 was not listed for relative moves, but it is reset (all moved devices).
    assert.deepEqual(setsOf(msgs, "motor2"), [2, 20]);
    assert.equal(motor1.position, 10);
    assert.equal(motor2.position, 20);
  });

  test("decorator forms wrap every plan the function makes", async () => {
    const { motor } = await createSimBeamline();
    await motor.set(1);
    const moveTo = reset_positions_decorator([motor])(
      relative_set_decorator([motor])(function* (target: number): Plan<void> {
        yield* bps.mv(motor, target);
      }),
    );
    const { RE, msgs } = planEngine();
    await RE.call(moveTo(0.5));
    assert.deepEqual(setsOf(msgs, "motor"), [1.5, 1]);
  });
});

describe("supplemental data", () => {
  test("baseline_wrapper reads a baseline stream after open_run and before close_run", async () => {
    const { det, motor1, motor2 } = await createSimBeamline({ seed: 1 });
    const { RE, docs } = planEngine();
    await RE.call(baseline_wrapper(count([det], 2), [motor1, motor2]));
    const [stop] = assertWellFormed(docs);
    assert.deepEqual(stop?.["num_events"], { baseline: 2, primary: 2 });
    const kinds = docs
      .filter(([n]) => n === "event")
      .map(([, d]) =>
        (d["data"] as Record<string, unknown>)["det"] === undefined ? "baseline" : "primary",
      );
    assert.deepEqual(kinds, ["baseline", "primary", "primary", "baseline"]);
    // The baseline descriptor is declared up front, right after the start.
    assert.deepEqual(names(docs).slice(0, 2), ["start", "descriptor"]);
    assert.equal(docsNamed(docs, "descriptor")[0]?.["name"], "baseline");
  });

  test("SupplementalData as a RunEngine preprocessor adds baseline and monitors to every run", async () => {
    const { det, motor, motor1 } = await createSimBeamline({ seed: 1 });
    const sd = new SupplementalData({ baseline: [motor1] });
    sd.monitors.push(motor.readback);
    const { RE, docs } = planEngine({ preprocessors: [sd.preprocessor] });
    await RE.call(
      run_wrapper(
        (function* (): Plan<void> {
          yield* bps.mv(motor, 1);
          yield* bps.trigger_and_read([det]);
        })(),
      ),
    );
    const [stop] = assertWellFormed(docs);
    const numEvents = stop?.["num_events"] as Record<string, number>;
    assert.equal(numEvents["baseline"], 2);
    assert.equal(numEvents["primary"], 1);
    assert.ok((numEvents["motor_monitor"] ?? 0) >= 1, JSON.stringify(numEvents));
    assert.match(
      String(sd),
      /SupplementalData\(baseline=\[motor1\], monitors=\[motor\], flyers=\[\]\)/,
    );
  });

  test("RE.preprocessors.push(sd), as Python's append(sd), adds baseline readings", async () => {
    const { det, motor, motor1 } = await createSimBeamline({ seed: 1 });
    const sd = new SupplementalData({ baseline: [motor1] });
    const { RE, docs } = planEngine();
    RE.preprocessors.push(sd);
    await RE.call(scan([det], motor, 0, 1, 3));
    const [stop] = assertWellFormed(docs);
    assert.deepEqual(stop?.["num_events"], { baseline: 2, primary: 3 });
    assert.equal(column(docs, "motor1", "baseline").length, 2);
  });

  test("an RE.preprocessors entry that is neither a function nor has wrap is named", async () => {
    const { det } = await createSimBeamline();
    const { RE, docs } = planEngine();
    RE.preprocessors.push(5 as never);
    await assert.rejects(
      RE.call(count([det])),
      (e: Error) =>
        e instanceof PlanArgumentError &&
        /each entry must be a function f\(plan\) or an object with wrap\(plan\).*got 5/.test(
          e.message,
        ),
    );
    assert.deepEqual(docs, []);
    assert.equal(RE.state, "idle");
  });

  test("baseline_wrapper with null or undefined devices passes the plan through", async () => {
    const { det } = await createSimBeamline({ seed: 1 });
    for (const devices of [null, undefined]) {
      const { RE, docs } = planEngine();
      const result = await RE.call(baseline_wrapper(count([det], 2), devices));
      const [stop] = assertWellFormed(docs);
      assert.deepEqual(stop?.["num_events"], { primary: 2 });
      assert.equal(result.planResult, docsNamed(docs, "start")[0]?.["uid"]);
    }
  });

  test("monitor_during_wrapper monitors only while the run is open", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    const { RE, docs, msgs } = planEngine();
    await RE.call(
      monitor_during_wrapper(
        run_wrapper(
          (function* (): Plan<void> {
            yield* bps.mv(motor, 2);
            yield* bps.trigger_and_read([det]);
          })(),
        ),
        [motor.readback],
      ),
    );
    const commands = msgs.map((m) => m.command);
    assert.equal(commands[commands.indexOf("open_run") + 1], "monitor");
    assert.equal(commands[commands.indexOf("close_run") - 1], "unmonitor");
    assert.ok(column(docs, "motor", "motor_monitor").includes(2));
    assertWellFormed(docs);
  });

  test("fly_during_wrapper kicks off flyers after open_run and collects them before close_run", async () => {
    const { det, flyer2 } = await createSimBeamline({ seed: 1 });
    const { RE, docs, msgs } = planEngine();
    await RE.call(fly_during_wrapper(count([det], 1), [flyer2]));
    const commands = msgs.map((m) => m.command);
    const open = commands.indexOf("open_run");
    assert.deepEqual(commands.slice(open + 1, open + 3), ["kickoff", "wait"]);
    const close = commands.indexOf("close_run");
    assert.deepEqual(commands.slice(close - 3, close), ["complete", "wait", "collect"]);
    const [stop] = assertWellFormed(docs);
    assert.deepEqual(stop?.["num_events"], { flyer2: 10, primary: 1 });
  });
});

describe("subscriptions, metadata, staging, suspenders", () => {
  test("subs_wrapper subscribes for the plan only", async () => {
    const { det } = await createSimBeamline({ seed: 1 });
    const seen: string[] = [];
    const onStart: DocumentCallback = (...[name]) => {
      seen.push(name);
    };
    const { RE } = planEngine();
    await RE.call(subs_wrapper(count([det], 1), { start: onStart }));
    await RE.call(count([det], 1));
    assert.deepEqual(seen, ["start"]);
  });

  test("inject_md_wrapper adds metadata to every open_run, winning over the plan's", async () => {
    const { det } = await createSimBeamline({ seed: 1 });
    const { RE, docs } = planEngine();
    await RE.call(
      inject_md_wrapper(count([det], 1, { md: { operator: "plan" } }), {
        operator: "Ada",
        sample: "Si",
      }),
    );
    const [start] = docsNamed(docs, "start");
    assert.equal(start?.["operator"], "Ada");
    assert.equal(start?.["sample"], "Si");
    assert.equal(start?.["plan_name"], "count");
    const decorated = inject_md_decorator({ proposal: 7 })((n: number) => count([det], n));
    const other = planEngine();
    await other.RE.call(decorated(1));
    assert.equal(docsNamed(other.docs, "start")[0]?.["proposal"], 7);
  });

  test("stub_wrapper removes the run and staging of a plan and returns its metadata", async () => {
    const { det } = await createSimBeamline({ seed: 1 });
    const { RE, docs } = planEngine();
    let md: Record<string, unknown> = {};
    await RE.call(
      run_wrapper(
        (function* (): Plan<void> {
          md = yield* stub_wrapper(count([det], 2));
        })(),
      ),
    );
    assert.equal(docsNamed(docs, "start").length, 1);
    assert.equal(docsNamed(docs, "event").length, 2);
    assert.equal(md["plan_name"], "count");
  });

  test("lazily_stage_wrapper stages each device tree at first use and unstages at the end", async () => {
    const a = new CountingDevice("a");
    const b = new CountingDevice("b");
    const { RE, msgs } = planEngine();
    await RE.call(
      lazily_stage_wrapper(
        run_wrapper(
          (function* (): Plan<void> {
            yield* bps.trigger_and_read([a]);
            yield* bps.trigger_and_read([a, b], "other");
          })(),
        ),
      ),
    );
    assert.deepEqual(a.calls, ["stage", "unstage"]);
    assert.deepEqual(b.calls, ["stage", "unstage"]);
    const commands = msgs.map(
      (m) => `${m.command}${m.obj ? `:${(m.obj as { name: string }).name}` : ""}`,
    );
    assert.ok(commands.indexOf("stage:a") < commands.indexOf("read:a"));
    assert.ok(commands.indexOf("stage:b") < commands.indexOf("read:b"));
    assert.ok(commands.indexOf("unstage:b") < commands.indexOf("unstage:a"), "reverse order");
  });

  test("suspend_wrapper installs suspenders for the plan and removes them after", async () => {
    const { det, bool_sig } = await createSimBeamline({ seed: 1 });
    const suspender = new SuspendBoolHigh(bool_sig);
    const { RE, msgs } = planEngine();
    await RE.call(suspend_wrapper(count([det], 1), suspender));
    const commands = msgs.map((m) => m.command);
    assert.equal(commands[0], "install_suspender");
    assert.equal(commands[commands.length - 1], "remove_suspender");
    assert.equal(RE.suspenders.size, 0);
  });

  test("print_summary_wrapper prints moves, reads and run boundaries", async () => {
    const { det, motor } = await createSimBeamline({ seed: 1 });
    const lines: string[] = [];
    const { RE } = planEngine();
    await RE.call(
      print_summary_wrapper(
        run_wrapper(
          (function* (): Plan<void> {
            yield* bps.mv(motor, 1);
            yield* bps.trigger_and_read([det, motor]);
          })(),
        ),
        (line) => lines.push(line),
      ),
    );
    assert.deepEqual(lines, [
      `${"=".repeat(35)} Open Run ${"=".repeat(35)}`,
      "motor -> 1",
      "  Read ['det', 'motor']",
      `${"=".repeat(34)} Close Run ${"=".repeat(35)}`,
    ]);
  });

  test("finalize, contingency and stage decorators", async () => {
    const dev = new CountingDevice("dev");
    const log: string[] = [];
    const failing = contingency_decorator({
      except_plan: (err: unknown) => {
        log.push(`except ${(err as Error).message}`);
        return bps.null();
      },
    })(
      stage_decorator([dev])(
        finalize_decorator(() => {
          log.push("final");
          return bps.null();
        })(function* (): Plan<void> {
          yield* bps.null();
          throw new Error("oops");
        }),
      ),
    );
    const { RE } = planEngine();
    await assert.rejects(RE.call(failing()), /oops/);
    assert.deepEqual(log, ["final", "except oops"]);
    assert.deepEqual(dev.calls, ["stage", "unstage"]);
    assert.throws(() => finalize_decorator(bps.null() as never), /final_plan must be a function/);
  });
});
