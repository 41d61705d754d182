// Documents of simulated runs for the live-view tests: a 1-D Gaussian peak against a motor and
// a snaking 2-D grid scan with a small image per point. Composed with event-model's composers.
import { composeRun, type NamedDocument } from "@cerulean/event-model";

const gauss = (x: number, y = 0) => 1000 * Math.exp(-((x - 0.2) ** 2 + (y + 0.1) ** 2) / 0.18);

/** A 1-D scan of `points` events, det against motor. */
export function peakScan(points: number): NamedDocument[] {
  const run = composeRun({
    metadata: {
      plan_name: "scan",
      motors: ["motor"],
      detectors: ["det"],
      num_points: points,
      hints: { dimensions: [[["motor"], "primary"]] },
    },
  });
  const stream = run.composeDescriptor({
    name: "primary",
    data_keys: {
      motor: { dtype: "number", shape: [], source: "SIM:motor" },
      det: { dtype: "number", shape: [], source: "SIM:det" },
    },
    hints: { det: { fields: ["det"] }, motor: { fields: ["motor"] } },
  });
  const docs: NamedDocument[] = [
    ["start", run.startDoc],
    ["descriptor", stream.descriptorDoc],
  ];
  const t = run.startDoc.time;
  for (let i = 0; i < points; i++) {
    const x = -1 + (2 * i) / Math.max(1, points - 1);
    docs.push([
      "event",
      stream.composeEvent({ data: { motor: x, det: gauss(x) }, timestamps: { motor: t, det: t } }),
    ]);
  }
  docs.push(["stop", run.composeStop({ exit_status: "success" })]);
  return docs;
}

/** A snaking rows×cols grid scan of det over (motor1, motor2), with a 24×32 image per point. */
export function gridScanWithImages(rows: number, cols: number): NamedDocument[] {
  const run = composeRun({
    metadata: {
      plan_name: "grid_scan",
      motors: ["motor1", "motor2"],
      detectors: ["det", "cam"],
      num_points: rows * cols,
      shape: [rows, cols],
      extents: [
        [-1, 1],
        [-1, 1],
      ],
      snaking: [false, true],
      hints: {
        dimensions: [
          [["motor1"], "primary"],
          [["motor2"], "primary"],
        ],
      },
    },
  });
  const stream = run.composeDescriptor({
    name: "primary",
    data_keys: {
      motor1: { dtype: "number", shape: [], source: "SIM:m1" },
      motor2: { dtype: "number", shape: [], source: "SIM:m2" },
      det: { dtype: "number", shape: [], source: "SIM:det" },
      cam: { dtype: "array", shape: [24, 32], source: "SIM:cam" },
    },
    hints: { det: { fields: ["det"] } },
  });
  const docs: NamedDocument[] = [
    ["start", run.startDoc],
    ["descriptor", stream.descriptorDoc],
  ];
  const t = run.startDoc.time;
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < cols; k++) {
      const c = r % 2 === 1 ? cols - 1 - k : k; // snaking
      const y = -1 + (2 * r) / (rows - 1);
      const x = -1 + (2 * c) / (cols - 1);
      const cam = Array.from({ length: 24 }, (_, i) =>
        Array.from({ length: 32 }, (_, j) => gauss((j - 16 - x * 8) / 8, (i - 12 - y * 6) / 8)),
      );
      docs.push([
        "event",
        stream.composeEvent({
          data: { motor1: y, motor2: x, det: gauss(x, y), cam },
          timestamps: { motor1: t, motor2: t, det: t, cam: t },
        }),
      ]);
    }
  }
  docs.push(["stop", run.composeStop({ exit_status: "success" })]);
  return docs;
}

/**
 * A derived run as a streaming reconstruction publishes it: each event carries the current
 * `size`×`size` slice (a disk that sharpens as projections arrive) as an inline 2-D array.
 */
export function reconstructionRun(
  slices: number,
  size: number,
  parentUid?: string,
): NamedDocument[] {
  const parent = parentUid === undefined ? {} : { parent_uid: parentUid };
  const run = composeRun({
    metadata: { plan_name: "streaming_fbp", num_points: slices, ...parent },
  });
  const stream = run.composeDescriptor({
    name: "primary",
    data_keys: {
      slice: { dtype: "array", shape: [size, size], source: "reconstruction" },
      projections: { dtype: "integer", shape: [], source: "reconstruction" },
    },
  });
  const docs: NamedDocument[] = [
    ["start", run.startDoc],
    ["descriptor", stream.descriptorDoc],
  ];
  const t = run.startDoc.time;
  for (let n = 1; n <= slices; n++) {
    const slice = Array.from({ length: size }, (_, i) =>
      Array.from({ length: size }, (_, j) => {
        const r = Math.hypot(i - size / 2, j - size / 2) / (size / 3);
        return 1 / (1 + Math.exp((r - 1) * 2 * n)); // sharper edge with every projection
      }),
    );
    docs.push([
      "event",
      stream.composeEvent({
        data: { slice, projections: n },
        timestamps: { slice: t, projections: t },
      }),
    ]);
  }
  docs.push(["stop", run.composeStop({ exit_status: "success" })]);
  return docs;
}

/** The documents of `main` with those of `side` started after main's first two and interleaved. */
export function interleave(main: NamedDocument[], side: NamedDocument[]): NamedDocument[] {
  const out: NamedDocument[] = main.slice(0, 2);
  const rest = main.slice(2);
  const every = Math.max(1, Math.floor(rest.length / Math.max(1, side.length)));
  let s = 0;
  rest.forEach((doc, i) => {
    if (i % every === 0 && s < side.length) out.push(side[s++] as NamedDocument);
    out.push(doc);
  });
  while (s < side.length) out.push(side[s++] as NamedDocument);
  return out;
}

/** The uid of the run whose documents these are (its start document comes first). */
export function runUid(docs: readonly NamedDocument[]): string {
  const first = docs[0];
  if (first?.[0] !== "start") throw new Error("the documents do not begin with a start");
  return first[1].uid;
}

/** The data of the last event among the documents. */
export function lastEventData(docs: readonly NamedDocument[]): Record<string, unknown> {
  for (let i = docs.length - 1; i >= 0; i--) {
    const named = docs[i];
    if (named?.[0] === "event") return named[1].data;
  }
  throw new Error("no event among the documents");
}
