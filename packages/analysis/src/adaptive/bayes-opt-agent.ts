// Bayesian optimisation across runs: a Gaussian-process surrogate of the detector signal over
// the motors, and expected improvement maximised over random candidates to pick the next points.
import { AdaptiveAgent } from "./agent.ts";
import { AgentConfigurationError } from "./errors.ts";
import { expectedImprovement } from "./expected-improvement.ts";
import type { FinishedRun } from "./finished-run.ts";
import {
  fitGaussianProcess,
  type GaussianProcess,
  type GpHyperparameters,
} from "./gaussian-process.ts";
import { planItem, type QueueItem } from "./queue-item.ts";
import { latinHypercube, normalDeviate, seededUniform } from "./seeded-random.ts";

/** One motor the agent moves. */
export interface BayesOptMotor {
  /** Device name, e.g. "motor1". */
  name: string;
  /** [low, high]: the search range and the motor limit the agent declares. */
  bounds: [number, number];
  /** Data key of its position (default: the name). */
  field?: string;
}

/** Options of BayesOptAgent. */
export interface BayesOptOptions {
  /** Agent name (default "bayes-opt"). */
  name?: string;
  /** Detector device name, e.g. "det4". */
  detector: string;
  /** Data key of the signal to maximise (default: the detector name). */
  field?: string;
  motors: BayesOptMotor[];
  /** Points of the first run, a Latin hypercube (default 2 + 2 per motor). */
  initialPoints?: number;
  /** Points per later run (default 1); several are chosen by the "kriging believer" rule. */
  batchSize?: number;
  /** Most runs (default 20). */
  maxRuns?: number;
  /** Most seconds of plan execution in total (declared as a limit; default none). */
  maxTotalTime?: number;
  /** Random candidates over which EI is maximised (default 1500, plus as many near the best). */
  candidates?: number;
  /** Seed of the design and the candidates (default 1). */
  seed?: number;
  /** Stop when the best EI falls below this fraction of the observed signal range (default 1e-3). */
  eiTolerance?: number;
}

/** The best measured point: the one whose surrogate (posterior mean) value is highest. */
export interface BayesOptBest {
  position: number[];
  /** The surrogate's posterior mean there: the reading with the noise averaged out. */
  value: number;
  /** The reading taken there (with its noise). */
  measured: number;
}

/**
 * Maximises a detector signal over motors with a Gaussian-process surrogate (RBF + noise) and
 * expected improvement, proposing `list_scan`s of the chosen points.
 * @example new BayesOptAgent({ detector: "det4", motors: [{ name: "motor1", bounds: [-3, 3] }, { name: "motor2", bounds: [-3, 3] }] })
 */
export class BayesOptAgent extends AdaptiveAgent {
  readonly options: Required<Omit<BayesOptOptions, "name" | "maxTotalTime">>;
  readonly x: number[][] = [];
  readonly y: number[] = [];
  /** Runs proposed so far. */
  proposed = 0;
  lastMaxEi: number | null = null;
  gp: GaussianProcess | null = null;
  /** Readings left out because a position or the signal was not finite (NaN, null). */
  skippedPoints = 0;
  #done = false;
  #stopReason = "";
  readonly #uniform: () => number;

  constructor(options: BayesOptOptions) {
    if (options.motors.length === 0) {
      throw new AgentConfigurationError("BayesOptAgent: motors must name at least one motor");
    }
    for (const m of options.motors) {
      const [low, high] = m.bounds;
      if (!(Number.isFinite(low) && Number.isFinite(high) && low < high)) {
        throw new AgentConfigurationError(
          `BayesOptAgent: bounds of ${m.name} must be [low, high] with low < high, got ${JSON.stringify(m.bounds)}`,
        );
      }
    }
    const full = {
      field: options.detector,
      initialPoints: 2 + 2 * options.motors.length,
      batchSize: 1,
      maxRuns: 20,
      candidates: 1500,
      seed: 1,
      eiTolerance: 1e-3,
      ...options,
    };
    for (const key of ["initialPoints", "batchSize", "maxRuns", "candidates"] as const) {
      if (!(Number.isInteger(full[key]) && full[key] >= 1)) {
        throw new AgentConfigurationError(
          `BayesOptAgent: ${key} must be a positive integer, got ${full[key]}`,
        );
      }
    }
    super(options.name ?? "bayes-opt", {
      plans: ["list_scan"],
      motors: Object.fromEntries(options.motors.map((m) => [m.name, m.bounds])),
      max_runs: full.maxRuns,
      ...(options.maxTotalTime === undefined ? {} : { max_total_time: options.maxTotalTime }),
    });
    const { name: _name, maxTotalTime: _time, ...rest } = full;
    this.options = rest;
    this.#uniform = seededUniform(full.seed);
  }

  get done(): boolean {
    return this.#done;
  }

  /**
   * The measured point with the highest posterior mean, or null before any data. Not the highest
   * reading: with noise, that is the luckiest draw, not the best position.
   */
  get best(): BayesOptBest | null {
    const gp = this.gp;
    if (this.y.length === 0 || gp === null) return null;
    const k = bestMeasured(gp, this.x);
    return {
      position: [...(this.x[k] as number[])],
      value: gp.predict(this.x[k] as number[]).mean,
      measured: this.y[k] as number,
    };
  }

  tell(run: FinishedRun): void {
    const fields = this.options.motors.map((m) => run.columns[m.field ?? m.name] ?? []);
    const values = run.columns[this.options.field] ?? [];
    for (let i = 0; i < values.length; i++) {
      const point = fields.map((column) => column[i]);
      const value = values[i];
      // One NaN reading would make the surrogate unfittable; leave it out and count it.
      if (point.every((v): v is number => Number.isFinite(v)) && Number.isFinite(value)) {
        this.x.push(point);
        this.y.push(value as number);
      } else {
        this.skippedPoints += 1;
      }
    }
    if (this.y.length > 0) this.gp = fitGaussianProcess(this.x, this.y, { bounds: this.#bounds() });
  }

  propose(): QueueItem[] {
    if (this.#done) return [];
    if (this.proposed >= this.options.maxRuns) return this.#finish("maxRuns reached");
    const bounds = this.#bounds();
    if (this.y.length === 0) {
      return [this.#listScan(latinHypercube(this.options.initialPoints, bounds, this.#uniform))];
    }
    const points = this.#choose(bounds);
    return points.length === 0
      ? this.#finish("expected improvement below tolerance")
      : [this.#listScan(points)];
  }

  report(): Record<string, unknown> {
    return {
      agent: this.name,
      done: this.#done,
      stop_reason: this.#stopReason,
      best: this.best,
      runs: this.runsSeen,
      evaluations: this.y.length,
      skipped_points: this.skippedPoints,
      last_max_ei: this.lastMaxEi,
      hyperparameters: this.gp?.hyperparameters ?? null,
    };
  }

  /** Hyperparameters of the current surrogate, or null before the first fit. */
  get hyperparameters(): GpHyperparameters | null {
    return this.gp?.hyperparameters ?? null;
  }

  #bounds(): [number, number][] {
    return this.options.motors.map((m) => m.bounds);
  }

  /** The next batch: EI maxima, each added to the data at its predicted mean (kriging believer). */
  #choose(bounds: [number, number][]): number[][] {
    const xs = this.x.map((p) => [...p]);
    const ys = [...this.y];
    const range = Math.max(...ys) - Math.min(...ys) || 1;
    const chosen: number[][] = [];
    for (let b = 0; b < this.options.batchSize; b++) {
      const gp = b === 0 && this.gp !== null ? this.gp : fitGaussianProcess(xs, ys, { bounds });
      if (b === 0) this.gp = gp;
      // The incumbent is the best posterior mean at a measured point, not the largest noisy reading.
      const k = bestMeasured(gp, xs);
      const incumbent = gp.predict(xs[k] as number[]).mean;
      let bestEi = -1;
      let bestPoint: number[] | null = null;
      for (const candidate of this.#candidates(bounds, xs[k] ?? [])) {
        const ei = expectedImprovement(gp.predict(candidate), incumbent);
        if (ei > bestEi) {
          bestEi = ei;
          bestPoint = candidate;
        }
      }
      if (b === 0) this.lastMaxEi = bestEi;
      if (bestPoint === null || bestEi < this.options.eiTolerance * range) break;
      chosen.push(bestPoint);
      xs.push(bestPoint);
      ys.push(gp.predict(bestPoint).mean);
    }
    return chosen;
  }

  /** Uniform candidates over the box, and as many scattered around the incumbent. */
  #candidates(bounds: [number, number][], incumbent: readonly number[]): number[][] {
    const out: number[][] = [];
    const u = this.#uniform;
    for (let i = 0; i < this.options.candidates; i++) {
      out.push(bounds.map(([low, high]) => low + u() * (high - low)));
      out.push(
        bounds.map(([low, high], d) => {
          const v = (incumbent[d] ?? (low + high) / 2) + 0.05 * (high - low) * normalDeviate(u);
          return Math.min(high, Math.max(low, v));
        }),
      );
    }
    return out;
  }

  #finish(reason: string): QueueItem[] {
    this.#done = true;
    this.#stopReason = reason;
    return [];
  }

  #listScan(points: number[][]): QueueItem {
    this.proposed += 1;
    const args: unknown[] = [[this.options.detector]];
    this.options.motors.forEach((m, d) => {
      args.push(
        m.name,
        points.map((p) => p[d] as number),
      );
    });
    return planItem("list_scan", args, { md: { agent: this.name } });
  }
}

/** Index of the point whose posterior mean is highest. */
function bestMeasured(gp: GaussianProcess, points: readonly (readonly number[])[]): number {
  let k = 0;
  let top = Number.NEGATIVE_INFINITY;
  points.forEach((p, i) => {
    const mean = gp.predict(p).mean;
    if (mean > top) {
      top = mean;
      k = i;
    }
  });
  return k;
}
