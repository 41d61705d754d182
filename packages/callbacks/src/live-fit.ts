import { type FitOptions, type FitResult, fit, type Model } from "@cerulean/analysis";
import {
  type DataKey,
  type DocumentCallback,
  type Event,
  KEY_NAME_PATTERN,
  type RunStart,
  type RunStop,
} from "@cerulean/event-model";
import { AnalysisRun } from "./analysis-run.ts";
import { CallbackBase } from "./callback-base.ts";
import { CallbackConfigurationError } from "./errors.ts";

export interface LiveFitOptions {
  /** Starting values for some parameters (Bluesky's init_guess); the rest are guessed from data. */
  initGuess?: Record<string, number>;
  /** Refit after every this many new points; null fits only at the end (default 1). */
  updateEvery?: number | null;
  /** The field holding each point's standard deviation, for a weighted fit. */
  yerr?: string;
  /** Further fit options (fixed parameters, significance...). */
  fitOptions?: Omit<FitOptions, "initial" | "yerr">;
  /** Receives the results as documents of a derived run (see AnalysisRun). */
  emit?: DocumentCallback;
  /** Called after every fit. */
  onResult?: (result: FitResult) => void;
}

/**
 * Bluesky's LiveFit: fits `model` to y against the mapped independent variable while a run goes
 * on. The first fit comes when there are as many points as parameters, then one every
 * `updateEvery` points, and a last one at the end if points arrived since. The latest result is
 * in `result`; with `emit`, every result is also a document of an "analysis" stream.
 * @example new LiveFit(gaussian(), "det", { x: "motor" }, { updateEvery: 5 })
 */
export class LiveFit extends CallbackBase {
  readonly model: Model;
  readonly y: string;
  readonly independentVars: Readonly<Record<string, string>>;
  readonly #options: LiveFitOptions;
  #x: number[] = [];
  #y: number[] = [];
  #yerr: number[] = [];
  #stale = false;
  #analysis: AnalysisRun | null = null;
  /** The latest fit of the current or last run, or null before the first. */
  result: FitResult | null = null;

  constructor(
    model: Model,
    y: string,
    independentVars: Record<string, string>,
    options: LiveFitOptions = {},
  ) {
    super();
    const expected = [...model.independentVars].sort();
    const given = Object.keys(independentVars).sort();
    if (expected.join() !== given.join()) {
      throw new CallbackConfigurationError(
        `LiveFit: independent variable keys ${JSON.stringify(given)} must match the model's ${JSON.stringify(expected)}, e.g. { x: "motor" }`,
      );
    }
    const every = options.updateEvery;
    if (every !== undefined && every !== null && !(Number.isInteger(every) && every >= 1)) {
      throw new CallbackConfigurationError(
        `LiveFit: updateEvery must be a positive integer or null, got ${String(every)}`,
      );
    }
    this.model = model;
    this.y = y;
    this.independentVars = { ...independentVars };
    this.#options = options;
  }

  /** The (x, y) points collected in the current or last run. */
  get data(): { x: readonly number[]; y: readonly number[] } {
    return { x: this.#x, y: this.#y };
  }

  override start(doc: RunStart): void {
    this.#x = [];
    this.#y = [];
    this.#yerr = [];
    this.#stale = false;
    this.result = null;
    const emit = this.#options.emit;
    this.#analysis = emit ? new AnalysisRun(emit, this.#analysisOptions(doc)) : null;
  }

  override event(doc: Event): void {
    const y = doc.data[this.y];
    const x = doc.data[this.independentVars["x"] ?? ""];
    if (typeof y !== "number" || typeof x !== "number") return;
    const yerrField = this.#options.yerr;
    if (yerrField !== undefined) {
      const e = doc.data[yerrField];
      if (typeof e !== "number") return;
      this.#yerr.push(e);
    }
    this.#x.push(x);
    this.#y.push(y);
    this.#stale = true;
    const every = this.#options.updateEvery === undefined ? 1 : this.#options.updateEvery;
    if (every === null) return;
    const i = this.#y.length;
    const n = this.model.paramNames.length;
    // The first fit needs one point more than the parameters (bluesky tries at as many, which
    // can only fail here: every run's analysis stream began with a failed fit).
    if (i === n + 1 || (i > n + 1 && (i - 1) % every === 0)) this.updateFit(doc.time);
  }

  override stop(doc: RunStop): void {
    if (this.#stale && this.#y.length > 0) this.updateFit(doc.time);
    this.#analysis?.close(doc.time);
  }

  /** Fits the points collected so far. */
  updateFit(time = Date.now() / 1000): FitResult {
    const options: FitOptions = { ...this.#options.fitOptions };
    if (this.#options.initGuess) options.initial = this.#options.initGuess;
    if (this.#options.yerr !== undefined) options.yerr = this.#yerr;
    const result = fit(this.model, this.#x, this.#y, options);
    this.result = result;
    this.#stale = false;
    this.#options.onResult?.(result);
    this.#analysis?.record(this.#resultData(result), time);
    return result;
  }

  #analysisOptions(parent: RunStart) {
    const number = (source: string): DataKey => ({ dtype: "number", shape: [], source });
    const dataKeys: Record<string, DataKey> = {
      num_points: { dtype: "integer", shape: [], source: "LiveFit" },
      success: { dtype: "boolean", shape: [], source: "LiveFit" },
      reason: { dtype: "string", shape: [], source: "LiveFit" },
      chisqr: number("LiveFit"),
      redchi: number("LiveFit"),
    };
    for (const name of this.model.paramNames) {
      dataKeys[name] = number(`LiveFit:${this.model.name}`);
      dataKeys[`${name}_stderr`] = number(`LiveFit:${this.model.name}`);
    }
    for (const name of Object.keys(this.model.derived(this.model.paramNames.map(() => 1)))) {
      dataKeys[name] = number(`LiveFit:${this.model.name}`);
    }
    const pattern = new RegExp(KEY_NAME_PATTERN);
    for (const key of Object.keys(dataKeys)) {
      if (!pattern.test(key)) {
        throw new CallbackConfigurationError(
          `LiveFit: parameter name "${key}" cannot be a data key (pattern ${KEY_NAME_PATTERN})`,
        );
      }
    }
    return {
      parent,
      name: "live_fit",
      dataKeys,
      hinted: ["success", ...this.model.paramNames],
      metadata: { model: this.model.name, y: this.y, independent_vars: this.independentVars },
    };
  }

  #resultData(result: FitResult): Record<string, unknown> {
    const finite = (v: number | null | undefined) =>
      typeof v === "number" && Number.isFinite(v) ? v : null;
    const data: Record<string, unknown> = {
      num_points: result.ndata,
      success: result.success,
      reason: result.reason,
      chisqr: finite(result.chisqr),
      redchi: finite(result.redchi),
    };
    for (const name of this.model.paramNames) {
      data[name] = finite(result.params[name]);
      data[`${name}_stderr`] = finite(result.stderr[name]);
    }
    for (const name of Object.keys(this.model.derived(this.model.paramNames.map(() => 1)))) {
      data[name] = finite(result.derived[name]);
    }
    return data;
  }
}
