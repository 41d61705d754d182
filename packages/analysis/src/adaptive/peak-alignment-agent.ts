// Peak finding and alignment across runs: a coarse scan over the whole range, a Gaussian fit of
// every point so far, then fine scans around the fitted centre until its uncertainty is small.
import { fit } from "../fit/fit.ts";
import type { FitResult } from "../fit/fit-result.ts";
import { composite } from "../models/composite.ts";
import { guessPeak, median } from "../models/guess.ts";
import type { Model } from "../models/model.ts";
import { gaussian } from "../models/peaks.ts";
import { constant } from "../models/polynomial.ts";
import { AdaptiveAgent } from "./agent.ts";
import { AgentConfigurationError } from "./errors.ts";
import type { FinishedRun } from "./finished-run.ts";
import { planItem, type QueueItem } from "./queue-item.ts";

/** Options of PeakAlignmentAgent. */
export interface PeakAlignmentOptions {
  /** Agent name (default "peak-alignment"). */
  name?: string;
  /** Detector device name, e.g. "det". */
  detector: string;
  /** Motor device name, e.g. "motor". */
  motor: string;
  /** Data key of the signal (default: the detector name). */
  field?: string;
  /** Data key of the motor position (default: the motor name). */
  motorField?: string;
  /** Range to search, [low, high]; also the motor limit the agent declares. */
  bounds: [number, number];
  /** Stop once the fitted centre's standard error is below this. */
  tolerance: number;
  /** Points of the coarse scan (default 15). */
  coarsePoints?: number;
  /** Points of each fine scan (default 11). */
  finePoints?: number;
  /** Half-width of a fine scan, in fitted sigmas (default 3). */
  fineSigmas?: number;
  /** Most runs (default 8). */
  maxRuns?: number;
  /** Most seconds of plan execution in total (declared as a limit; default none). */
  maxTotalTime?: number;
  /** The peak model (default gaussianOnBackground()); it must have `center` and `sigma`. */
  model?: Model;
}

/** One decision of the agent, for its report. */
export interface PeakStep {
  run: number;
  phase: "coarse" | "fine" | "search";
  range: [number, number];
  points: number;
  center: number | null;
  centerStderr: number | null;
}

/** The agent's current estimate. */
export interface PeakEstimate {
  center: number;
  centerStderr: number;
  sigma: number;
  converged: boolean;
  totalPoints: number;
  runs: number;
}

/**
 * A Gaussian on a constant background (`center`, `sigma`, `amplitude`, `background_c`): a real
 * peak sits on dark current or scatter, which a bare Gaussian cannot fit. The background is first
 * guessed at the scan's baseline (its lowest reading; its highest for a dip), the peak from what
 * stands above it.
 * @example fit(gaussianOnBackground(), x, y).params["center"]
 */
export function gaussianOnBackground(): Model {
  const peak = gaussian();
  const background = constant({ prefix: "background_" });
  const model = composite(peak, background);
  return {
    ...model,
    guess(x, y) {
      const { baseline } = guessPeak(x, y);
      const level = Number.isFinite(baseline) ? baseline : 0;
      return [
        ...peak.guess(
          x,
          y.map((v) => v - level),
        ),
        level,
      ];
    },
  };
}

/**
 * Aligns a motor on a detector peak: coarse `scan` over `bounds`, fit (the package's Gaussian
 * fit of all points so far), fine `scan`s over centre ± fineSigmas·sigma, done when
 * stderr(center) < tolerance (or after maxRuns).
 * @example new PeakAlignmentAgent({ detector: "det", motor: "motor", bounds: [-5, 5], tolerance: 0.01 })
 */
export class PeakAlignmentAgent extends AdaptiveAgent {
  readonly options: Required<Omit<PeakAlignmentOptions, "name" | "maxTotalTime">>;
  readonly steps: PeakStep[] = [];
  readonly x: number[] = [];
  readonly y: number[] = [];
  lastFit: FitResult | null = null;
  /** Readings left out because the motor position or the signal was not finite (NaN, null). */
  skippedPoints = 0;
  #done = false;
  #stopReason = "";

  constructor(options: PeakAlignmentOptions) {
    const [low, high] = options.bounds;
    if (!(Number.isFinite(low) && Number.isFinite(high) && low < high)) {
      throw new AgentConfigurationError(
        `PeakAlignmentAgent: bounds must be [low, high] with low < high, got ${JSON.stringify(options.bounds)}`,
      );
    }
    if (!(options.tolerance > 0)) {
      throw new AgentConfigurationError(
        `PeakAlignmentAgent: tolerance must be positive, got ${options.tolerance}`,
      );
    }
    const full = {
      field: options.detector,
      motorField: options.motor,
      coarsePoints: 15,
      finePoints: 11,
      fineSigmas: 3,
      maxRuns: 8,
      model: gaussianOnBackground(),
      ...options,
    };
    for (const key of ["coarsePoints", "finePoints", "maxRuns"] as const) {
      if (!(Number.isInteger(full[key]) && full[key] >= (key === "maxRuns" ? 1 : 4))) {
        throw new AgentConfigurationError(
          `PeakAlignmentAgent: ${key} must be an integer of at least ${key === "maxRuns" ? 1 : 4}, got ${full[key]}`,
        );
      }
    }
    super(options.name ?? "peak-alignment", {
      plans: ["scan"],
      motors: { [options.motor]: [low, high] },
      max_runs: full.maxRuns,
      ...(options.maxTotalTime === undefined ? {} : { max_total_time: options.maxTotalTime }),
    });
    const { name: _name, maxTotalTime: _time, ...rest } = full;
    this.options = rest;
  }

  get done(): boolean {
    return this.#done;
  }

  /** The fitted peak, or null before a fit succeeded. */
  get estimate(): PeakEstimate | null {
    const f = this.lastFit;
    if (f === null || !f.success) return null;
    return {
      center: f.params["center"] ?? Number.NaN,
      centerStderr: f.stderr["center"] ?? Number.POSITIVE_INFINITY,
      sigma: Math.abs(f.params["sigma"] ?? Number.NaN),
      converged: this.#converged(),
      totalPoints: this.x.length,
      runs: this.runsSeen,
    };
  }

  tell(run: FinishedRun): void {
    const xs = run.columns[this.options.motorField] ?? [];
    const ys = run.columns[this.options.field] ?? [];
    const n = Math.min(xs.length, ys.length);
    for (let i = 0; i < n; i++) {
      const [xi, yi] = [xs[i], ys[i]];
      // A NaN kept in the data would make every later fit fail; leave it out and say so.
      if (Number.isFinite(xi) && Number.isFinite(yi)) {
        this.x.push(xi as number);
        this.y.push(yi as number);
      } else {
        this.skippedPoints += 1;
      }
    }
    this.skippedPoints += Math.max(xs.length, ys.length) - n;
    this.lastFit = this.x.length > 0 ? fit(this.options.model, this.x, this.y) : null;
    const last = this.steps[this.steps.length - 1];
    if (last) {
      last.center = this.estimate?.center ?? null;
      last.centerStderr = this.estimate?.centerStderr ?? null;
    }
  }

  propose(): QueueItem[] {
    if (this.#done) return [];
    if (this.#converged()) return this.#finish("converged");
    if (this.steps.length >= this.options.maxRuns) return this.#finish("maxRuns reached");
    const [low, high] = this.options.bounds;
    const estimate = this.estimate;
    if (this.steps.length === 0) {
      return [this.#scan("coarse", low, high, this.options.coarsePoints)];
    }
    if (estimate === null) return this.#search();
    const half = this.options.fineSigmas * estimate.sigma;
    return [
      this.#scan("fine", estimate.center - half, estimate.center + half, this.options.finePoints),
    ];
  }

  report(): Record<string, unknown> {
    return {
      agent: this.name,
      done: this.#done,
      stop_reason: this.#stopReason,
      estimate: this.estimate,
      total_points: this.x.length,
      skipped_points: this.skippedPoints,
      runs: this.runsSeen,
      steps: this.steps,
    };
  }

  /**
   * No peak fitted yet. First look again, narrower, around the highest reading; if that fails,
   * scan the whole range once more between the coarse points (a peak narrower than the coarse
   * step hides there); if that fails too, stop rather than repeat the same scan.
   */
  #search(): QueueItem[] {
    const [low, high] = this.options.bounds;
    const searches = this.steps.filter((s) => s.phase === "search").length;
    if (this.x.length === 0) return this.#finish("no peak found: no finite readings");
    const best = this.x[this.y.indexOf(Math.max(...this.y))] ?? (low + high) / 2;
    if (searches === 0) {
      const half = (high - low) / 4;
      return [this.#scan("search", best - half, best + half, this.options.coarsePoints)];
    }
    if (searches === 1) {
      const n = this.options.coarsePoints;
      const offset = (high - low) / (n - 1) / 2;
      return [this.#scan("search", low + offset, high - offset, n - 1)];
    }
    const top = Math.max(...this.y);
    const nearEdge = Math.min(best - low, high - best) < 1e-9 * (high - low);
    const atEdge = nearEdge && top > median(this.y);
    return this.#finish(
      atEdge
        ? `no peak found: signal rising at the edge of the range (highest reading at ${this.options.motorField} = ${best})`
        : "no peak found",
    );
  }

  #converged(): boolean {
    const f = this.lastFit;
    const stderr = f?.stderr["center"];
    return f?.success === true && stderr != null && stderr < this.options.tolerance;
  }

  #finish(reason: string): QueueItem[] {
    this.#done = true;
    this.#stopReason = reason;
    return [];
  }

  #scan(phase: PeakStep["phase"], from: number, to: number, num: number): QueueItem {
    const [low, high] = this.options.bounds;
    const start = Math.max(low, Math.min(high, from));
    const stop = Math.max(low, Math.min(high, to));
    this.steps.push({
      run: this.steps.length + 1,
      phase,
      range: [start, stop],
      points: num,
      center: null,
      centerStderr: null,
    });
    const { detector, motor } = this.options;
    return planItem("scan", [[detector], motor, start, stop, num], {
      md: { agent: this.name, agent_phase: phase },
    });
  }
}
