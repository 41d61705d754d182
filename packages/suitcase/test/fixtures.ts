// Document streams for the suitcase tests, composed with event-model's composers.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { composeRun, type DataKey } from "@cerulean/event-model";

export type Doc = [string, Record<string, unknown>];

/** A fresh directory under the OS temp dir, removed when the test ends. */
export function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), "suitcase-test-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const METADATA = {
  scan_id: 42,
  plan_name: "scan",
  sample: "Si 111",
  motors: ["motor"],
  hints: { dimensions: [[["motor"], "primary"]] },
};

export interface ScalarRunOptions {
  events?: number;
  /** Frame size of the small "cam" image key (rows, columns); 0 leaves it out. */
  image?: [number, number];
  /** How the run ends: a stop document with this exit status, or none (an exception mid-run). */
  end?: "success" | "abort" | "fail" | "none";
  metadata?: Record<string, unknown>;
}

/** The value of det at a seq_num: easy to check after a round trip. */
export const detAt = (seq: number) => seq * 1.5 + 0.25;

/** A frame of the cam image key at a seq_num, as nested arrays. */
export function camFrame(seq: number, rows: number, columns: number): number[][] {
  return Array.from({ length: rows }, (_, r) =>
    Array.from({ length: columns }, (_, c) => seq * 100 + r * columns + c),
  );
}

/** A scan of motor vs det with a string, boolean, integer and 1-D array key, a baseline stream and an optional small image. */
export function scalarRun(options: ScalarRunOptions = {}): Doc[] {
  const { events = 5, image = [0, 0], end = "success" } = options;
  const run = composeRun({ metadata: { ...METADATA, ...options.metadata } });
  const docs: Doc[] = [["start", run.startDoc]];
  const keys: Record<string, DataKey> = {
    motor: { dtype: "number", shape: [], source: "sim:motor", units: "mm" },
    det: { dtype: "number", shape: [], source: "sim:det", units: "counts" },
    label: { dtype: "string", shape: [], source: "sim:label" },
    flag: { dtype: "boolean", shape: [], source: "sim:flag" },
    count: { dtype: "integer", shape: [], source: "sim:count" },
    spectrum: { dtype: "array", shape: [4], source: "sim:spectrum", dtype_numpy: "<f8" },
  };
  if (image[0] > 0)
    keys["cam"] = { dtype: "array", shape: [...image], source: "sim:cam", dtype_numpy: "<u2" };
  const primary = run.composeDescriptor({
    name: "primary",
    data_keys: keys,
    hints: { det: { fields: ["det"] }, motor: { fields: ["motor"] } },
    object_keys: {
      motor: ["motor"],
      det: ["det", "label", "flag", "count", "spectrum", ...(image[0] > 0 ? ["cam"] : [])],
    },
  });
  const baseline = run.composeDescriptor({
    name: "baseline",
    data_keys: { temperature: { dtype: "number", shape: [], source: "sim:T" } },
  });
  docs.push(["descriptor", primary.descriptorDoc], ["descriptor", baseline.descriptorDoc]);
  docs.push([
    "event",
    baseline.composeEvent({ data: { temperature: 295.5 }, timestamps: { temperature: 1 } }),
  ]);
  for (let i = 1; i <= events; i++) {
    const data: Record<string, unknown> = {
      motor: i * 0.1,
      det: detAt(i),
      label: i % 2 ? `point ${i}, "odd" µm 🧪` : `point ${i}\nsecond line`,
      flag: i % 2 === 0,
      count: i * 1000,
      spectrum: [i, i + 0.5, Number.NaN, -i],
    };
    if (image[0] > 0) data["cam"] = camFrame(i, image[0], image[1]);
    const timestamps = Object.fromEntries(Object.keys(data).map((k) => [k, 1_700_000_000 + i]));
    docs.push(["event", primary.composeEvent({ data, timestamps, time: 1_700_000_000 + i })]);
  }
  if (end !== "none") {
    docs.push([
      "event",
      baseline.composeEvent({ data: { temperature: 296.25 }, timestamps: { temperature: 2 } }),
    ]);
    docs.push([
      "stop",
      run.composeStop({ exit_status: end, reason: end === "success" ? "" : `run ended by ${end}` }),
    ]);
  }
  return docs;
}

/** Writes a detector file like the sim image detector's: /entry/data/data of (frames, rows, columns) uint16. */
export async function writeDetectorFile(
  path: string,
  frames: number,
  rows: number,
  columns: number,
): Promise<void> {
  // Imported here only: loading h5wasm costs seconds under tsx, which most tests need not pay.
  const { default: h5wasm } = await import("h5wasm/node");
  await h5wasm.ready;
  const file = new h5wasm.File(path, "w");
  try {
    const data = new Uint16Array(frames * rows * columns).map((_, i) => (i * 7) % 65536);
    file
      .create_group("entry")
      .create_group("data")
      .create_dataset({
        name: "data",
        data,
        shape: [frames, rows, columns],
        maxshape: [null, rows, columns],
        chunks: [1, rows, columns],
      });
  } finally {
    file.close();
  }
}

/** The pixel value the detector file holds at a frame, row and column. */
export const detectorPixel = (frame: number, r: number, c: number, rows: number, columns: number) =>
  (((frame * rows + r) * columns + c) * 7) % 65536;

/** A fly-scan-like run whose "pilatus" frames live in the detector's HDF5 file (stream_resource/stream_datum). */
export function streamRun(
  detectorPath: string,
  frames: number,
  rows: number,
  columns: number,
  framesPerDatum = 1,
): Doc[] {
  const run = composeRun({ metadata: { ...METADATA, plan_name: "count", motors: [], hints: {} } });
  const docs: Doc[] = [["start", run.startDoc]];
  const primary = run.composeDescriptor({
    name: "primary",
    data_keys: {
      pilatus: {
        dtype: "array",
        shape: [rows, columns],
        source: "sim:pilatus",
        external: "STREAM:",
        dtype_numpy: "<u2",
      },
      sum: { dtype: "number", shape: [], source: "sim:sum" },
    },
    hints: { pilatus: { fields: ["pilatus"] } },
  });
  docs.push(["descriptor", primary.descriptorDoc]);
  const resource = run.composeStreamResource({
    mimetype: "application/x-hdf5",
    uri: `file://localhost${detectorPath}`,
    data_key: "pilatus",
    parameters: { dataset: "/entry/data/data", chunk_shape: [1, rows, columns] },
  });
  docs.push(["stream_resource", resource.streamResourceDoc]);
  for (let i = 0; i < frames; i += framesPerDatum) {
    const stop = Math.min(frames, i + framesPerDatum);
    docs.push([
      "stream_datum",
      resource.composeStreamDatum({
        indices: { start: i, stop },
        seq_nums: { start: i + 1, stop: stop + 1 },
        descriptor: primary.descriptorDoc.uid,
      }),
    ]);
    for (let j = i; j < stop; j++) {
      docs.push(["event", primary.composeEvent({ data: { sum: j }, timestamps: { sum: j } })]);
    }
  }
  docs.push(["stop", run.composeStop()]);
  return docs;
}

/** A run whose "cam" images are in an AD_HDF5 file referenced by resource/datum (FILESTORE:). */
export function filestoreRun(
  detectorPath: string,
  frames: number,
  rows: number,
  columns: number,
): Doc[] {
  const run = composeRun({ metadata: { ...METADATA, plan_name: "count" } });
  const docs: Doc[] = [["start", run.startDoc]];
  const primary = run.composeDescriptor({
    name: "primary",
    data_keys: {
      cam: { dtype: "array", shape: [rows, columns], source: "sim:cam", external: "FILESTORE:" },
      motor: { dtype: "number", shape: [], source: "sim:motor" },
    },
  });
  docs.push(["descriptor", primary.descriptorDoc]);
  const slash = detectorPath.lastIndexOf("/");
  const resource = run.composeResource({
    spec: "AD_HDF5",
    root: detectorPath.slice(0, slash),
    resource_path: detectorPath.slice(slash + 1),
    resource_kwargs: { frame_per_point: 1 },
  });
  docs.push(["resource", resource.resourceDoc]);
  for (let i = 0; i < frames; i++) {
    const datum = resource.composeDatum({ datum_kwargs: { point_number: i } });
    docs.push(["datum", datum]);
    docs.push([
      "event",
      primary.composeEvent({
        data: { cam: datum.datum_id, motor: i },
        timestamps: { cam: i, motor: i },
        filled: { cam: false },
      }),
    ]);
  }
  docs.push(["stop", run.composeStop()]);
  return docs;
}

/** Feeds documents to a callback. */
export function feed(callback: (name: string, doc: unknown) => void, docs: readonly Doc[]): void {
  for (const [name, doc] of docs) callback(name, doc);
}
