// The documents of a simulated scan (a Gaussian detector against a motor), composed with
// event-model's composeRun, for bus tests, the distributed-analysis example and benchmarks.
import { composeRun, type NamedDocument } from "@cerulean/event-model";

export interface GaussianScanOptions {
  /** Motor positions, evenly spaced from `start` to `stop` (default 21 from -1 to 1). */
  points?: number;
  start?: number;
  stop?: number;
  /** Peak centre, width (sigma) and height (defaults 0.1, 0.25, 1000). */
  center?: number;
  sigma?: number;
  amplitude?: number;
  /** Extra start-document metadata (scan_id, sample...). */
  metadata?: Record<string, unknown>;
  /** Adds an image of this shape to every event (for size tests); values are small integers. */
  imageShape?: [number, number];
}

/** The `[name, doc]` pairs of one scan: start, descriptor, one event per point, stop. */
export function gaussianScanDocuments(options: GaussianScanOptions = {}): NamedDocument[] {
  const {
    points = 21,
    start = -1,
    stop = 1,
    center = 0.1,
    sigma = 0.25,
    amplitude = 1000,
  } = options;
  const run = composeRun({
    metadata: {
      plan_name: "scan",
      detectors: ["det"],
      motors: ["motor"],
      num_points: points,
      hints: { dimensions: [[["motor"], "primary"]] },
      ...options.metadata,
    },
  });
  const docs: NamedDocument[] = [["start", run.startDoc]];
  const dataKeys: Record<string, { dtype: "number" | "array"; shape: number[]; source: string }> = {
    motor: { dtype: "number", shape: [], source: "SIM:motor" },
    det: { dtype: "number", shape: [], source: "SIM:det" },
  };
  if (options.imageShape) {
    dataKeys["image"] = { dtype: "array", shape: options.imageShape, source: "SIM:image" };
  }
  const primary = run.composeDescriptor({ name: "primary", data_keys: dataKeys });
  docs.push(["descriptor", primary.descriptorDoc]);
  for (let i = 0; i < points; i++) {
    const x = points === 1 ? start : start + ((stop - start) * i) / (points - 1);
    const data: Record<string, unknown> = {
      motor: x,
      det: amplitude * Math.exp(-((x - center) ** 2) / (2 * sigma ** 2)),
    };
    const timestamps: Record<string, unknown> = {
      motor: run.startDoc.time,
      det: run.startDoc.time,
    };
    if (options.imageShape) {
      const [rows, cols] = options.imageShape;
      data["image"] = Array.from({ length: rows }, (_, r) =>
        Array.from({ length: cols }, (_, c) => (r * 31 + c * 7 + i) % 100),
      );
      timestamps["image"] = run.startDoc.time;
    }
    docs.push(["event", primary.composeEvent({ data, timestamps })]);
  }
  docs.push(["stop", run.composeStop()]);
  return docs;
}
