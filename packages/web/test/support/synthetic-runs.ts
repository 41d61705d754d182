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
