// A stand-in RunEngine for agent tests: "plans" are point lists, each run's documents are
// composed with event-model and carry f(position) + seeded noise, delivered as an event page.
import { composeRun, type DataKey, type DocumentCallback } from "@cerulean/event-model";
import type { PlanFunction, RunEngineLike } from "../../src/index.ts";
import { seededUniform } from "../../src/index.ts";

/** A simulated plan: motor name → positions (zipped), and the detector to read. */
export interface SimPlan {
  detector: string;
  points: Record<string, number[]>;
  md: Record<string, unknown>;
}

export interface SimulatedEngineOptions {
  /** The signal at a position (motor name → value). */
  signal: (position: Record<string, number>) => number;
  /** Uniform noise amplitude (default 0). */
  noise?: number;
  seed?: number;
}

export class SimulatedEngine implements RunEngineLike<SimPlan> {
  readonly documents: [string, unknown][] = [];
  runs = 0;
  points = 0;
  readonly #options: SimulatedEngineOptions;
  readonly #random: () => number;

  constructor(options: SimulatedEngineOptions) {
    this.#options = options;
    this.#random = seededUniform(options.seed ?? 7);
  }

  async call(plan: SimPlan, options: { subs?: DocumentCallback } = {}): Promise<unknown> {
    const emit = (name: string, doc: unknown) => {
      this.documents.push([name, doc]);
      (options.subs as ((n: string, d: unknown) => void) | undefined)?.(name, doc);
    };
    const motors = Object.keys(plan.points);
    const n = plan.points[motors[0] as string]?.length ?? 0;
    const run = composeRun({ metadata: { ...plan.md, scan_id: ++this.runs, plan_name: "sim" } });
    emit("start", run.startDoc);
    const key: DataKey = { dtype: "number", shape: [], source: "sim" };
    const primary = run.composeDescriptor({
      name: "primary",
      data_keys: Object.fromEntries([plan.detector, ...motors].map((k) => [k, key])),
    });
    emit("descriptor", primary.descriptorDoc);
    const data: Record<string, number[]> = { [plan.detector]: [] };
    for (const m of motors) data[m] = [];
    for (let i = 0; i < n; i++) {
      const position = Object.fromEntries(motors.map((m) => [m, plan.points[m]?.[i] ?? 0]));
      const noise = (this.#options.noise ?? 0) * (2 * this.#random() - 1);
      data[plan.detector]?.push(this.#options.signal(position) + noise);
      for (const m of motors) data[m]?.push(position[m] as number);
    }
    this.points += n;
    const time = Array.from({ length: n }, (_, i) => 1_700_000_000 + i);
    const timestamps = Object.fromEntries(Object.keys(data).map((k) => [k, time]));
    if (n > 0) emit("event_page", primary.composeEventPage({ data, timestamps, time }));
    emit("stop", run.composeStop({ exit_status: "success" }));
    return undefined;
  }
}

const md = (kwargs: unknown) =>
  ((kwargs as { md?: Record<string, unknown> } | undefined)?.md ?? {}) as Record<string, unknown>;

/** The simulated plan registry: scan and list_scan with Bluesky's positional arguments. */
export const SIM_PLANS: Record<string, PlanFunction<SimPlan>> = {
  scan: (dets, motor, start, stop, num, kwargs) => {
    const [a, b, k] = [start as number, stop as number, num as number];
    const positions = Array.from({ length: k }, (_, i) =>
      k === 1 ? a : a + ((b - a) * i) / (k - 1),
    );
    return {
      detector: (dets as string[])[0] as string,
      points: { [motor as string]: positions },
      md: md(kwargs),
    };
  },
  list_scan: (dets, ...rest) => {
    const points: Record<string, number[]> = {};
    let i = 0;
    for (; i + 1 < rest.length && typeof rest[i] === "string"; i += 2) {
      points[rest[i] as string] = rest[i + 1] as number[];
    }
    return { detector: (dets as string[])[0] as string, points, md: md(rest[i]) };
  },
};

/** Devices named by themselves (the simulated plans take names). */
export const SIM_DEVICES: Record<string, unknown> = Object.fromEntries(
  ["det", "det4", "motor", "motor1", "motor2"].map((n) => [n, n]),
);
