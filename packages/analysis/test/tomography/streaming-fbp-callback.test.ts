import { deepStrictEqual, equal, ok, throws } from "node:assert/strict";
import { describe, it } from "node:test";
import {
  composeRun,
  type DataKey,
  type DocumentName,
  type Event,
  packEventPage,
} from "@cerulean/event-model";
import { assertValidStream } from "@cerulean/event-model/testing";
import {
  normalizedCrossCorrelation,
  reconstructionCircle,
} from "../../src/tomography/image-similarity.ts";
import { StreamingFbpCallback } from "../../src/tomography/streaming-fbp-callback.ts";
import { projectEllipses, rasterizeEllipses, TEST_ELLIPSES } from "./ellipse-phantom.ts";

type Doc = [DocumentName, Record<string, unknown>];
const WIDTH = 32;

const KEYS: Record<string, DataKey> = {
  tomo_det: { dtype: "array", shape: [2, WIDTH], source: "sim://tomo_det" },
  tomo_det_sum: { dtype: "number", shape: [], source: "sim://tomo_det" },
  rot: { dtype: "number", shape: [], source: "sim://rot", units: "deg" },
};

/** A parent run as a scan of rot with tomo_det would make it: 2 rows, `n` angles over 180°. */
function parentRun(n: number, options: { pages?: boolean; keys?: Record<string, DataKey> } = {}) {
  const run = composeRun({ metadata: { plan_name: "scan", scan_id: 7 } });
  const keys = options.keys ?? KEYS;
  const stream = run.composeDescriptor({ name: "primary", data_keys: keys });
  const docs: Doc[] = [
    ["start", run.startDoc],
    ["descriptor", stream.descriptorDoc],
  ];
  const events: Event[] = [];
  for (let i = 0; i < n; i++) {
    const angle = (180 * i) / n;
    const row = projectEllipses(TEST_ELLIPSES, WIDTH, angle);
    const data = { tomo_det: [row, row], tomo_det_sum: 0, rot: angle };
    const timestamps = { tomo_det: 1, tomo_det_sum: 1, rot: 1 };
    events.push(stream.composeEvent({ data, timestamps }));
  }
  if (options.pages) docs.push(["event_page", packEventPage(events)]);
  else for (const e of events) docs.push(["event", e]);
  docs.push(["stop", run.composeStop({ exit_status: "abort", reason: "user stopped it" })]);
  return docs;
}

function watch(docs: Doc[], options: { every?: number; sliceIndex?: number } = {}) {
  const out: Doc[] = [];
  const fbp = new StreamingFbpCallback({
    publish: (name, doc) => {
      out.push([name, doc as unknown as Record<string, unknown>]);
    },
    ...options,
  });
  for (const [name, doc] of docs) fbp.route(name, doc as never);
  return { out, fbp };
}

describe("StreamingFbpCallback", () => {
  it("publishes a valid derived run: start, descriptor, a slice per projection, stop", () => {
    const parent = parentRun(90);
    const { out, fbp } = watch(parent);
    assertValidStream(out);
    deepStrictEqual(
      out.map(([name]) => name),
      ["start", "descriptor", ...new Array(90).fill("event"), "stop"],
    );
    const [, start] = out[0] as Doc;
    equal(start["plan_name"], "streaming_fbp");
    equal(start["parent_uid"], parent[0]?.[1]["uid"]);
    equal(start["parent_scan_id"], 7);
    deepStrictEqual(start["reconstruction"], {
      method: "filtered back-projection, parallel beam",
      filter: "ram-lak",
      detector: "tomo_det",
      angle: "rot",
      width: WIDTH,
      slices: 2,
      slice_index: 1,
      center: (WIDTH - 1) / 2,
      every: 1,
    });
    const descriptor = out[1]?.[1] as { data_keys: Record<string, DataKey> };
    deepStrictEqual(Object.keys(descriptor.data_keys).sort(), ["angle", "projections", "slice"]);
    deepStrictEqual(descriptor.data_keys["slice"]?.shape, [WIDTH, WIDTH]);
    const last = out[91]?.[1] as { data: Record<string, unknown>; seq_num: number };
    equal(last.seq_num, 90);
    equal(last.data["projections"], 90);
    equal(last.data["angle"], 178);
    deepStrictEqual(last.data["slice"], fbp.currentSlice());
    const stop = out[92]?.[1] as Record<string, unknown>;
    equal(stop["exit_status"], "abort");
    equal(stop["reason"], "user stopped it");
    deepStrictEqual(stop["num_events"], { primary: 90 });
    equal(stop["run_start"], start["uid"]);
  });

  it("reconstructs what the events carry, to NCC ≥ 0.95 at 32 pixels and 90 projections", () => {
    const { out } = watch(parentRun(90));
    const last = out[91]?.[1] as { data: { slice: number[][] } };
    const truth = rasterizeEllipses(TEST_ELLIPSES, WIDTH);
    const ncc = normalizedCrossCorrelation(last.data.slice, truth, reconstructionCircle(WIDTH));
    ok(ncc >= 0.95, `NCC ${ncc}`);
  });

  it("publishes every k projections and once more for the remainder, from event pages too", () => {
    const { out } = watch(parentRun(45, { pages: true }), { every: 20, sliceIndex: 0 });
    assertValidStream(out);
    const counts = out
      .filter(([name]) => name === "event")
      .map(([, doc]) => (doc as { data: { projections: number } }).data.projections);
    deepStrictEqual(counts, [20, 40, 45]);
  });

  it("ignores projections in other streams (a baseline reading is no projection)", () => {
    const parent = parentRun(4);
    const run = composeRun({ metadata: {} });
    const baseline = run.composeDescriptor({ name: "baseline", data_keys: KEYS });
    const event = baseline.composeEvent({
      data: { tomo_det: [[], []], tomo_det_sum: 0, rot: 0 },
      timestamps: { tomo_det: 1, tomo_det_sum: 1, rot: 1 },
      validate: false,
    });
    const docs: Doc[] = [
      ...parent.slice(0, 2),
      ["descriptor", { ...baseline.descriptorDoc, run_start: parent[0]?.[1]["uid"] }],
      ["event", event],
      ...parent.slice(2),
    ];
    const { out, fbp } = watch(docs);
    equal(out.filter(([name]) => name === "event").length, 4);
    equal(fbp.reconstruction?.projections, 4);
  });

  it("closes a derived run whose parent never stopped when the next run starts", () => {
    const first = parentRun(3).slice(0, -1);
    const second = parentRun(2);
    const { out } = watch([...first, ...second]);
    assertValidStream(out);
    deepStrictEqual(
      out.map(([name]) => name),
      [
        ...["start", "descriptor", "event", "event", "event", "stop"],
        ...["start", "descriptor", "event", "event", "stop"],
      ],
    );
    const stop = out[5]?.[1] as Record<string, unknown>;
    equal(stop["exit_status"], "fail");
    ok(String(stop["reason"]).includes("ended without a stop"));
    equal(out[6]?.[1]["parent_uid"], second[0]?.[1]["uid"]);
  });

  it("publishes nothing for a run without projections", () => {
    const keys: Record<string, DataKey> = { det: { dtype: "number", shape: [], source: "sim" } };
    const run = composeRun({ metadata: {} });
    const stream = run.composeDescriptor({ name: "primary", data_keys: keys });
    const docs: Doc[] = [
      ["start", run.startDoc],
      ["descriptor", stream.descriptorDoc],
      ["event", stream.composeEvent({ data: { det: 1 }, timestamps: { det: 1 } })],
      ["stop", run.composeStop()],
    ];
    const { out, fbp } = watch(docs);
    deepStrictEqual(out, []);
    equal(fbp.reconstruction, undefined);
  });

  it("refuses projections it cannot read inline, naming the data key", () => {
    const keys: Record<string, DataKey> = {
      tomo_det: { dtype: "array", shape: [2, 8], source: "x", external: "STREAM:" },
      rot: { dtype: "number", shape: [], source: "sim://rot" },
    };
    const parent = parentRun(0, { keys });
    throws(() => watch(parent), /"tomo_det" .* external "STREAM:"; expected an inline/);
    throws(() => watch(parentRun(2), { sliceIndex: 2 }), /sliceIndex 2 is not a row .*0\.\.1/);
    throws(
      () => new StreamingFbpCallback({ publish: () => {}, every: 0 }),
      /every 0 is not an integer >= 1/,
    );
  });
});
