// The document rules: start metadata, descriptors, events, pages, assets, stop, several runs.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, describe, test } from "node:test";
import { createSimBeamline } from "@cerulean/devices/sim";
import {
  bps,
  count,
  msg,
  type Plan,
  PlanArgumentError,
  RunEngine,
  run_wrapper,
  set_run_key_wrapper,
  stage_wrapper,
} from "../../src/index.ts";
import { assertWellFormed, at, docsNamed, names, recordingEngine } from "../helpers.ts";

const dataDir = `/tmp/cerulean-engine-docs-${process.pid}`;
after(() => rmSync(dataDir, { recursive: true, force: true }));

describe("start documents", () => {
  test("scan_id counts up from the persistent metadata, which keeps the last one", async () => {
    const { det } = await createSimBeamline();
    const md: Record<string, unknown> = { scan_id: 41, beamline_id: "sim" };
    const { RE, docs } = recordingEngine({ md });
    await RE.call(count([det]));
    await RE.call(count([det]));
    assert.deepEqual(
      docsNamed(docs, "start").map((s) => s["scan_id"]),
      [42, 43],
    );
    assert.equal(md["scan_id"], 43);
    assert.equal(docsNamed(docs, "start")[0]?.["beamline_id"], "sim");
    assert.deepEqual(at(docsNamed(docs, "start")[0], "versions", "cerulean"), "0.1.0");
  });

  test("metadata layers: call md over plan md over plan_name over persistent md", async () => {
    const { det } = await createSimBeamline();
    const { RE, docs } = recordingEngine({
      md: { operator: "persistent", sample: "from RE.md", plan_name: "x" },
    });
    await RE.call(count([det], 1, { md: { sample: "from plan", purpose: "plan" } }), {
      md: { purpose: "call" },
    });
    const [start] = docsNamed(docs, "start");
    assert.equal(start?.["operator"], "persistent");
    assert.equal(start?.["sample"], "from plan");
    assert.equal(start?.["purpose"], "call");
    assert.equal(start?.["plan_name"], "count");
    assert.equal(start?.["plan_type"], "generator");
  });

  test("count records Bluesky's metadata", async () => {
    const { det, det1 } = await createSimBeamline();
    const { RE, docs } = recordingEngine();
    await RE.call(count([det, det1], 5, 0));
    const [start] = docsNamed(docs, "start");
    assert.deepEqual(start?.["detectors"], ["det", "det1"]);
    assert.equal(start?.["num_points"], 5);
    assert.equal(start?.["num_intervals"], 4);
    assert.deepEqual(start?.["hints"], { dimensions: [[["time"], "primary"]] });
    assert.deepEqual(at(start, "plan_args", "num"), 5);
  });

  test("the metadata validator refuses a bad sample; a custom scan_id source is used", async () => {
    const { det } = await createSimBeamline();
    const { RE, docs } = recordingEngine({ scanIdSource: () => 1000 });
    await assert.rejects(RE.call(count([det], 1, { md: { sample: 5 } })), PlanArgumentError);
    assert.deepEqual(docs, []);
    await RE.call(count([det]));
    assert.equal(docsNamed(docs, "start")[0]?.["scan_id"], 1000);
  });
});

describe("descriptors and events", () => {
  test("one descriptor per stream, on its first save; seq_num counts per stream", async () => {
    const { det, det1, motor } = await createSimBeamline();
    const { RE, docs } = recordingEngine();
    await RE.call(
      run_wrapper(
        (function* () {
          for (let i = 0; i < 3; i++) {
            yield* bps.trigger_and_read([det, motor]);
            yield* bps.trigger_and_read([det1], "baseline");
          }
        })(),
      ),
    );
    const descriptors = docsNamed(docs, "descriptor");
    assert.deepEqual(
      descriptors.map((d) => d["name"]),
      ["primary", "baseline"],
    );
    const primary = descriptors[0] as Record<string, unknown>;
    assert.deepEqual(primary["object_keys"], { det: ["det"], motor: ["motor", "motor_setpoint"] });
    assert.deepEqual(
      (primary["data_keys"] as Record<string, { object_name: string }>)["motor"]?.object_name,
      "motor",
    );
    assert.deepEqual(primary["hints"], { det: { fields: ["det"] }, motor: { fields: ["motor"] } });
    const seq = docsNamed(docs, "event").map((e) => [
      e["descriptor"] === primary["uid"],
      e["seq_num"],
    ]);
    assert.deepEqual(seq, [
      [true, 1],
      [false, 1],
      [true, 2],
      [false, 2],
      [true, 3],
      [false, 3],
    ]);
    const [stop] = assertWellFormed(docs);
    assert.deepEqual(stop?.["num_events"], { primary: 3, baseline: 3 });
  });

  test("saving other objects into an existing stream fails", async () => {
    const { det, det1 } = await createSimBeamline();
    const { RE, docs } = recordingEngine();
    await assert.rejects(
      RE.call(
        run_wrapper(
          (function* () {
            yield* bps.trigger_and_read([det]);
            yield* bps.trigger_and_read([det1]);
          })(),
        ),
      ),
      /mismatched objects/,
    );
    const [stop] = assertWellFormed(docs);
    assert.equal(stop?.["exit_status"], "fail");
  });

  test("two devices reading the same key into one event fail", async () => {
    const { det, identical_det } = await createSimBeamline();
    const { RE, docs } = recordingEngine();
    await assert.rejects(
      RE.call(run_wrapper(bps.trigger_and_read([det, identical_det]))),
      /collides/,
    );
    assertWellFormed(docs);
  });

  test("resource/datum from a file-writing detector come before the event, which is filled: false", async () => {
    const { img } = await createSimBeamline({ dataDir });
    const { RE, docs } = recordingEngine();
    await RE.call(count([img], 2));
    assert.deepEqual(names(docs), [
      "start",
      "descriptor",
      "resource",
      "datum",
      "event",
      "datum",
      "event",
      "stop",
    ]);
    const [resource] = docsNamed(docs, "resource");
    assert.equal(resource?.["run_start"], docsNamed(docs, "start")[0]?.["uid"]);
    const [event] = docsNamed(docs, "event");
    assert.deepEqual(event?.["filled"], { img: false });
    assertWellFormed(docs);
  });

  test("stream_resource/stream_datum from a stream-writing detector get the descriptor and seq_nums", async () => {
    const { image_det } = await createSimBeamline({ dataDir });
    const { RE, docs } = recordingEngine();
    await RE.call(count([image_det], 3));
    assertWellFormed(docs);
    assert.deepEqual(names(docs), [
      "start",
      "descriptor",
      "stream_resource",
      "stream_datum",
      "event",
      "stream_datum",
      "event",
      "stream_datum",
      "event",
      "stop",
    ]);
    const [descriptor] = docsNamed(docs, "descriptor");
    const datums = docsNamed(docs, "stream_datum");
    assert.ok(datums.every((d) => d["descriptor"] === descriptor?.["uid"]));
    assert.deepEqual(
      datums.map((d) => d["seq_nums"]),
      [
        { start: 1, stop: 2 },
        { start: 2, stop: 3 },
        { start: 3, stop: 4 },
      ],
    );
    const [event] = docsNamed(docs, "event");
    assert.ok(at(event, "data", "image_det") === undefined, "the frame is not in the event");
  });

  test("collect from a flyer emits one event page per stream with seq_nums", async () => {
    const { flyer2 } = await createSimBeamline();
    const { RE, docs } = recordingEngine();
    const result = await RE.call(
      run_wrapper(
        (function* () {
          yield* bps.kickoff(flyer2, { wait: true });
          yield* bps.complete(flyer2, { wait: true });
          return yield* bps.collect(flyer2);
        })(),
      ),
    );
    assert.deepEqual(names(docs), ["start", "descriptor", "event_page", "stop"]);
    const [page] = docsNamed(docs, "event_page");
    assert.deepEqual(page?.["seq_num"], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal((at(page, "data", "det") as unknown[]).length, 10);
    const [stop] = assertWellFormed(docs);
    assert.deepEqual(stop?.["num_events"], { flyer2: 10 });
    assert.equal(typeof result.planResult, "string");
  });

  test("a fly scan of a stream-writing detector: declared stream, stream_datum spanning the frames", async () => {
    const { image_det } = await createSimBeamline({ dataDir });
    const { RE, docs } = recordingEngine();
    await RE.call(
      stage_wrapper(
        run_wrapper(
          (function* () {
            yield* bps.declare_stream(image_det, { name: "primary", collect: true });
            yield* bps.prepare(image_det, { frames: 4 }, { wait: true });
            yield* bps.kickoff(image_det, { wait: true });
            yield* bps.complete(image_det, { wait: true });
            yield* bps.collect(image_det, { name: "primary" });
          })(),
        ),
        [image_det],
      ),
    );
    assertWellFormed(docs);
    const datums = docsNamed(docs, "stream_datum");
    assert.deepEqual(datums.at(-1)?.["seq_nums"], { start: 1, stop: 5 });
    assert.deepEqual(assertWellFormed(docs)[0]?.["num_events"], { primary: 4 });
  });

  test("flyers kicked off but never collected are collected at the end of the run", async () => {
    const { trivial_flyer } = await createSimBeamline();
    const { RE, docs } = recordingEngine();
    await RE.call(
      run_wrapper(
        (function* () {
          yield* bps.kickoff(trivial_flyer, { wait: true });
        })(),
      ),
    );
    // The run closes before the backstop, as in Bluesky: only an open run gets collected.
    assertWellFormed(docs);
    const { RE: RE2, docs: docs2 } = recordingEngine();
    await RE2.call([msg("open_run"), msg("kickoff", trivial_flyer)]);
    assert.ok(names(docs2).includes("event_page"));
    assertWellFormed(docs2);
  });
});

describe("several runs", () => {
  test("runs with different run keys are open at once, each with its own documents", async () => {
    const { det, det1 } = await createSimBeamline();
    const { RE, docs } = recordingEngine();
    function* both(): Plan<void> {
      const a = set_run_key_wrapper(run_wrapper(bps.trigger_and_read([det])), "A");
      const b = set_run_key_wrapper(run_wrapper(bps.trigger_and_read([det1])), "B");
      // Interleave by hand: open both, then read both, then close both.
      yield* set_run_key_wrapper(bps.open_run({ which: "A" }), "A");
      yield* set_run_key_wrapper(bps.open_run({ which: "B" }), "B");
      yield* set_run_key_wrapper(bps.trigger_and_read([det]), "A");
      yield* set_run_key_wrapper(bps.trigger_and_read([det1]), "B");
      yield* set_run_key_wrapper(bps.close_run(), "B");
      yield* set_run_key_wrapper(bps.close_run(), "A");
      yield* a;
      yield* b;
    }
    const result = await RE.call(both());
    assert.equal(result.runStartUids.length, 4);
    const stops = assertWellFormed(docs);
    assert.equal(stops.length, 4);
    assert.deepEqual(
      docsNamed(docs, "start").map((s) => s["scan_id"]),
      [1, 2, 3, 4],
    );
  });

  test("runs left open are closed at the end with the call's exit status", async () => {
    const { RE, docs } = recordingEngine();
    await RE.call([msg("open_run", null, { run: "x" }), msg("open_run", null, { run: "y" })]);
    const stops = assertWellFormed(docs);
    assert.deepEqual(
      stops.map((s) => s["exit_status"]),
      ["success", "success"],
    );
  });

  test("with recordInterruptions each run has an interruptions stream", async () => {
    const { det } = await createSimBeamline();
    const { RE, docs } = recordingEngine({ recordInterruptions: true });
    await RE.call(count([det], 2));
    const descriptors = docsNamed(docs, "descriptor").map((d) => d["name"]);
    assert.deepEqual(descriptors, ["interruptions", "primary"]);
    assertWellFormed(docs);
  });

  test("documents validate with validateDocuments on", async () => {
    const { det, motor } = await createSimBeamline();
    const { RE, docs } = recordingEngine({ validateDocuments: true });
    await RE.call(count([det, motor], 3));
    assertWellFormed(docs);
    assert.ok(new RunEngine().validateDocuments === false);
  });
});
