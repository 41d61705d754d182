// Document streams of sim-like scans, built with event-model's composers (the engine does not exist
// yet): ophyd.sim's motor and SynGauss det, fixed times and uids so that output is reproducible.
import { composeRun, type DataKey, type NamedDocument } from "@cerulean/event-model";

/** A seeded uniform generator on [0, 1) (Park-Miller). */
export function seededRandom(seed: number): () => number {
  let state = Math.max(1, Math.floor(seed) % 2147483647);
  return () => {
    state = (state * 16807) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

/** numpy.linspace(start, stop, num). */
export function linspace(start: number, stop: number, num: number): number[] {
  if (num === 1) return [start];
  return Array.from({ length: num }, (_, i) => start + ((stop - start) * i) / (num - 1));
}

/** SynGauss: imax * exp(-(m - center)^2 / (2 sigma^2)), plus uniform(-1, 1) * noise. */
export function synGauss(
  options: { center?: number; sigma?: number; imax?: number; noise?: number; seed?: number } = {},
): (m: number) => number {
  const { center = 0, sigma = 1, imax = 1, noise = 0 } = options;
  const random = seededRandom(options.seed ?? 1);
  return (m) =>
    imax * Math.exp(-((m - center) ** 2) / (2 * sigma * sigma)) + (2 * random() - 1) * noise;
}

const numberKey = (source: string, precision = 3): DataKey => ({
  dtype: "number",
  shape: [],
  source,
  precision,
});

export interface SimScanOptions {
  positions: number[];
  /** Detector reading at a motor position (default the noiseless sim det). */
  detector?: (m: number) => number;
  motor?: string;
  det?: string;
  /** Start time (seconds since the epoch); events follow every `dt` seconds. */
  t0?: number;
  dt?: number;
  uid?: string;
  scanId?: number;
  /** Emit one event page instead of events. */
  pages?: boolean;
  /** Baseline readings, emitted before and after the primary stream. */
  baseline?: Record<string, number>;
  /** More start metadata. */
  metadata?: Record<string, unknown>;
  exitStatus?: "success" | "abort" | "fail";
}

/** A `scan([det], motor, ...)` run as documents. */
export function simScan(o: SimScanOptions): NamedDocument[] {
  const motor = o.motor ?? "motor";
  const det = o.det ?? "det";
  const read = o.detector ?? synGauss();
  const t0 = o.t0 ?? 1_700_000_000;
  const dt = o.dt ?? 0.1;
  const docs: NamedDocument[] = [];
  const run = composeRun({
    time: t0,
    ...(o.uid ? { uid: o.uid } : {}),
    metadata: {
      plan_type: "generator",
      plan_name: "scan",
      scan_id: o.scanId ?? 1,
      detectors: [det],
      motors: [motor],
      num_points: o.positions.length,
      num_intervals: o.positions.length - 1,
      hints: { dimensions: [[[motor], "primary"]] },
      ...o.metadata,
    },
  });
  docs.push(["start", run.startDoc]);
  let time = t0;
  let baseline: ReturnType<typeof run.composeDescriptor> | null = null;
  if (o.baseline) {
    time += 0.01;
    baseline = run.composeDescriptor({
      name: "baseline",
      data_keys: Object.fromEntries(Object.keys(o.baseline).map((k) => [k, numberKey(`SIM:${k}`)])),
      object_keys: Object.fromEntries(Object.keys(o.baseline).map((k) => [k, [k]])),
      hints: Object.fromEntries(Object.keys(o.baseline).map((k) => [k, { fields: [k] }])),
      time,
    });
  }
  const readBaseline = () => {
    if (!baseline || !o.baseline) return;
    time += 0.01;
    docs.push([
      "event",
      baseline.composeEvent({
        data: o.baseline,
        timestamps: Object.fromEntries(Object.keys(o.baseline).map((k) => [k, time])),
        time,
      }),
    ]);
  };
  if (baseline) docs.push(["descriptor", baseline.descriptorDoc]);
  readBaseline();
  time += 0.05;
  const primary = run.composeDescriptor({
    name: "primary",
    data_keys: {
      [motor]: { ...numberKey(`SIM:${motor}`), object_name: motor },
      [`${motor}_setpoint`]: { ...numberKey(`SIM:${motor}_setpoint`), object_name: motor },
      [det]: { ...numberKey(`SIM:${det}`), object_name: det },
    },
    object_keys: { [motor]: [motor, `${motor}_setpoint`], [det]: [det] },
    hints: { [motor]: { fields: [motor] }, [det]: { fields: [det] } },
    time,
  });
  docs.push(["descriptor", primary.descriptorDoc]);
  const rows = o.positions.map((m) => {
    time += dt;
    return { m, v: read(m), t: time };
  });
  if (o.pages) {
    docs.push([
      "event_page",
      primary.composeEventPage({
        data: {
          [motor]: rows.map((r) => r.m),
          [`${motor}_setpoint`]: rows.map((r) => r.m),
          [det]: rows.map((r) => r.v),
        },
        timestamps: {
          [motor]: rows.map((r) => r.t),
          [`${motor}_setpoint`]: rows.map((r) => r.t),
          [det]: rows.map((r) => r.t),
        },
        time: rows.map((r) => r.t),
      }),
    ]);
  } else {
    for (const r of rows) {
      docs.push([
        "event",
        primary.composeEvent({
          data: { [motor]: r.m, [`${motor}_setpoint`]: r.m, [det]: r.v },
          timestamps: { [motor]: r.t, [`${motor}_setpoint`]: r.t, [det]: r.t },
          time: r.t,
        }),
      ]);
    }
  }
  readBaseline();
  docs.push([
    "stop",
    run.composeStop({ time: time + 0.05, exit_status: o.exitStatus ?? "success" }),
  ]);
  return docs;
}

/** A snaking or plain `grid_scan([det4], motor1, ..., motor2, ...)` run as documents. */
export function gridScan(o: {
  slow: number[];
  fast: number[];
  snake?: boolean;
  detector?: (y: number, x: number) => number;
  t0?: number;
}): NamedDocument[] {
  const read = o.detector ?? ((y: number, x: number) => Math.exp(-(x * x + y * y) / 2));
  const t0 = o.t0 ?? 1_700_000_000;
  const run = composeRun({
    time: t0,
    metadata: {
      plan_type: "generator",
      plan_name: "grid_scan",
      scan_id: 2,
      detectors: ["det4"],
      motors: ["motor1", "motor2"],
      num_points: o.slow.length * o.fast.length,
      shape: [o.slow.length, o.fast.length],
      extents: [
        [o.slow[0], o.slow[o.slow.length - 1]],
        [o.fast[0], o.fast[o.fast.length - 1]],
      ],
      snaking: [false, o.snake ?? false],
      hints: {
        dimensions: [
          [["motor1"], "primary"],
          [["motor2"], "primary"],
        ],
        gridding: "rectilinear",
      },
    },
  });
  const docs: NamedDocument[] = [["start", run.startDoc]];
  const primary = run.composeDescriptor({
    name: "primary",
    data_keys: {
      motor1: numberKey("SIM:motor1"),
      motor2: numberKey("SIM:motor2"),
      det4: numberKey("SIM:det4"),
    },
    object_keys: { motor1: ["motor1"], motor2: ["motor2"], det4: ["det4"] },
    hints: {
      motor1: { fields: ["motor1"] },
      motor2: { fields: ["motor2"] },
      det4: { fields: ["det4"] },
    },
    time: t0 + 0.05,
  });
  docs.push(["descriptor", primary.descriptorDoc]);
  let time = t0 + 0.05;
  o.slow.forEach((y, row) => {
    const fast = o.snake && row % 2 === 1 ? [...o.fast].reverse() : o.fast;
    for (const x of fast) {
      time += 0.1;
      docs.push([
        "event",
        primary.composeEvent({
          data: { motor1: y, motor2: x, det4: read(y, x) },
          timestamps: { motor1: time, motor2: time, det4: time },
          time,
        }),
      ]);
    }
  });
  docs.push(["stop", run.composeStop({ time: time + 0.05 })]);
  return docs;
}

/** Feeds documents to a `(name, doc)` callback. */
export function replay(
  docs: readonly NamedDocument[],
  ...callbacks: ((...args: NamedDocument) => void)[]
): void {
  for (const doc of docs) for (const cb of callbacks) cb(...doc);
}
