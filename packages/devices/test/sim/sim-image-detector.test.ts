import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { assertValidReference, assertValidStream } from "@cerulean/event-model/testing";
import {
  DeviceStateError,
  StatusBase,
  StatusCancelledError,
  type StreamAsset,
} from "../../src/index.ts";
import {
  gaussian,
  readHdf5Dataset,
  SimImageDetector,
  SynAxis,
  spotFrame,
} from "../../src/sim/index.ts";
import { assertDescribeMatchesRead, StatusWatcher } from "../../src/testing/index.ts";
import { stepRun } from "./run-documents.ts";

const dataDir = mkdtempSync(join(tmpdir(), "cerulean-image-"));
after(() => rmSync(dataDir, { recursive: true, force: true }));

async function collect(det: SimImageDetector, index?: number): Promise<StreamAsset[]> {
  const out: StreamAsset[] = [];
  for await (const asset of det.collectAssetDocs(index)) out.push(asset);
  return out;
}

/** The `indices` of the stream datum at `i` in `assets`. */
function indicesAt(assets: StreamAsset[], i: number): unknown {
  const asset = assets[i];
  return asset?.[0] === "stream_datum" ? asset[1].indices : undefined;
}

function pathOf(uri: unknown): string {
  return String(uri).replace("file://localhost", "");
}

describe("SimImageDetector", () => {
  it("writes a frame per trigger to HDF5, readable back pixel for pixel", async () => {
    const motor = new SynAxis("motor");
    const det = new SimImageDetector("cam", { dataDir, motor, motorField: "motor", shape: [4, 5] });
    await det.stage();
    const positions = [0, 0.5, 2];
    for (const m of positions) {
      await motor.set(m);
      await det.trigger();
    }
    equal(await det.getIndex(), 3);
    const file = det.filePath ?? "";
    await det.unstage();
    const { shape, data } = await readHdf5Dataset(file, "/entry/data/data");
    deepStrictEqual(shape, [3, 4, 5]);
    positions.forEach((m, i) => {
      // The spot formula, written out independently: centre (2, 1.5), sigma 5/8 pixels.
      const intensity = 1000 * Math.exp(-(m * m) / 2);
      const pixel = (r: number, c: number): number =>
        intensity * Math.exp(-((c - 2) ** 2 + (r - 1.5) ** 2) / (2 * (5 / 8) ** 2));
      for (const [r, c] of [
        [0, 0],
        [1, 2],
        [3, 4],
      ] as const) {
        const got = data[i * 20 + r * 5 + c] ?? Number.NaN;
        ok(Math.abs(got - pixel(r, c)) < 1e-9, `frame ${i} pixel (${r},${c}) ${got}`);
      }
    });
  });

  it("reads the frame sum; describe adds the frame as an external STREAM: key", async () => {
    const det = new SimImageDetector("cam", { dataDir, shape: [3, 3], Imax: 2 });
    await det.stage();
    await det.trigger();
    const sum = (await det.read())["cam_sum"]?.value;
    const frame = spotFrame(2, det.geometry);
    ok(Math.abs((sum as number) - frame.reduce((a, b) => a + b, 0)) < 1e-12);
    const described = await det.describe();
    deepStrictEqual(described["cam"], {
      source: "sim://cam",
      dtype: "array",
      dtype_numpy: "<f8",
      shape: [3, 3],
      external: "STREAM:",
    });
    await assertDescribeMatchesRead(det);
    deepStrictEqual(det.hints, { fields: ["cam_sum"] });
    await det.unstage();
  });

  it("emits one StreamResource then StreamDatums for the new frames, valid by the reference schemas", async () => {
    const det = new SimImageDetector("cam", { dataDir, shape: [2, 2] });
    await det.stage();
    await det.trigger();
    const first = await collect(det);
    deepStrictEqual(
      first.map(([name]) => name),
      ["stream_resource", "stream_datum"],
    );
    const [, resource] = first[0] as StreamAsset;
    equal(resource["data_key"], "cam");
    equal(resource["mimetype"], "application/x-hdf5");
    equal(pathOf(resource["uri"]), det.filePath);
    deepStrictEqual(resource["parameters"], {
      dataset: "/entry/data/data",
      chunk_shape: [1, 2, 2],
    });
    await det.trigger();
    await det.trigger();
    const next = await collect(det);
    deepStrictEqual(
      next.map(([name]) => name),
      ["stream_datum"],
    );
    const [, datum] = next[0] as StreamAsset;
    deepStrictEqual(datum["indices"], { start: 1, stop: 3 });
    deepStrictEqual(datum["seq_nums"], { start: 0, stop: 0 });
    equal(datum["descriptor"], "");
    deepStrictEqual(await collect(det), []);
    for (const [name, doc] of [...first, ...next]) assertValidReference(name, doc);
    await det.unstage();
  });

  it("collectAssetDocs(index) stops at the given frame", async () => {
    const det = new SimImageDetector("cam", { dataDir, shape: [2, 2] });
    await det.stage();
    for (let i = 0; i < 3; i++) await det.trigger();
    const upTo2 = await collect(det, 2);
    deepStrictEqual(indicesAt(upTo2, 1), { start: 0, stop: 2 });
    const rest = await collect(det);
    deepStrictEqual(indicesAt(rest, 0), { start: 2, stop: 3 });
    await det.unstage();
  });

  it("a step run over it makes documents the reference schemas accept", async () => {
    const motor = new SynAxis("motor");
    const det = new SimImageDetector("image_det", {
      dataDir,
      motor,
      motorField: "motor",
      shape: [4, 4],
    });
    await det.stage();
    const docs = await stepRun([motor, det], 3);
    await det.unstage();
    assertValidStream(docs);
    deepStrictEqual(
      docs.map(([n]) => n),
      [
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
      ],
    );
  });

  it("refuses to trigger unless staged, saying why", async () => {
    const det = new SimImageDetector("cam", { dataDir });
    await rejects(Promise.resolve(det.trigger()), (error: Error) => {
      ok(error instanceof DeviceStateError);
      equal(error.message, "cam cannot acquire: not staged (stage opens its file)");
      return true;
    });
  });

  it("flies: prepare, kickoff, complete with progress, then the frames in one StreamDatum", async () => {
    const det = new SimImageDetector("cam", { dataDir, shape: [2, 3] });
    await det.stage();
    await det.prepare({ frames: 5, exposureTime: 0.002 });
    await det.kickoff();
    const watcher = new StatusWatcher(det.complete() as StatusWatcher["status"]);
    await watcher.status;
    equal(watcher.updates.at(-1)?.current, 5);
    equal(watcher.updates.at(-1)?.fraction, 0);
    equal(await det.getIndex(), 5);
    deepStrictEqual(await det.describeCollect(), { cam: det.imageDataKey() });
    const docs = await collect(det);
    deepStrictEqual(indicesAt(docs, 1), { start: 0, stop: 5 });
    await det.unstage();
  });

  it("kickoff without prepare fails; stop({success: false}) fails the fly", async () => {
    const det = new SimImageDetector("cam", { dataDir, shape: [2, 2] });
    await det.stage();
    await rejects(Promise.resolve(det.kickoff()), /cam cannot kickoff: not prepared/);
    await rejects(Promise.resolve(det.prepare({ frames: 0 })), /expected a number of frames >= 1/);
    await det.prepare({ frames: 1000, exposureTime: 0.005 });
    await det.kickoff();
    await det.stop({ success: false });
    await rejects(Promise.resolve(det.complete()), /cam fly was stopped after \d+ frames/);
    ok((await det.getIndex()) < 1000);
    await det.unstage();
  });

  it("a zero-exposure fly leaves the event loop free and stops when cancelled", async () => {
    const det = new SimImageDetector("cam", { dataDir, shape: [2, 2] });
    await det.stage();
    await det.prepare({ frames: 2000, exposureTime: 0 });
    await det.kickoff();
    const flight = det.complete();
    ok(flight instanceof StatusBase);
    await new Promise((resolve) => setTimeout(resolve, 1));
    flight.cancel("operator");
    await rejects(Promise.resolve(flight), StatusCancelledError);
    // The frame in progress at the cancel may still land; none after it.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const stoppedAt = await det.getIndex();
    ok(stoppedAt < 2000, `${stoppedAt} frames taken before the timer could run`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    equal(await det.getIndex(), stoppedAt);
    await det.unstage();
  });

  it("each stage writes a new file", async () => {
    const det = new SimImageDetector("cam", { dataDir, shape: [2, 2] });
    await det.stage();
    const first = det.filePath;
    await det.unstage();
    await det.stage();
    ok(det.filePath && det.filePath !== first);
    await det.unstage();
    equal(det.filePath, undefined);
  });

  it("follows the formula of the intensity: Imax·exp(−(m − center)²/(2σ²))", () => {
    equal(gaussian(1, 0, 1000, 1), 1000 * Math.exp(-0.5));
  });
});
