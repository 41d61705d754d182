import { derivativePeakStats, type PeakStatsResult, peakStats, type XY } from "@cerulean/analysis";
import type { Event, RunStart, RunStop } from "@cerulean/event-model";
import { CallbackBase } from "./callback-base.ts";

export interface PeakStatsOptions {
  /** Subtract a line through the first and last N points first (Bluesky's edge_count). */
  edgeCount?: number;
  /** Also compute the statistics of the derivative (Bluesky's calc_derivative_and_stats). */
  calcDerivativeAndStats?: boolean;
  /** Called with the statistics at the end of every run that had data. */
  onResult?: (stats: PeakStatsResult, derivative: PeakStatsResult | null, start: RunStart) => void;
}

/**
 * Bluesky's PeakStats callback: collects (x, y) from every event that has both fields and, when
 * the run stops, computes com, cen, max, min, crossings and fwhm (see `peakStats`). Results stay
 * null for a run without such events. Non-numeric readings are skipped.
 * @example const ps = new PeakStats("motor", "det"); engine.subscribe(ps.callback); ... ps.cen
 */
export class PeakStats extends CallbackBase {
  readonly x: string;
  readonly y: string;
  readonly #options: PeakStatsOptions;
  #xs: number[] = [];
  #ys: number[] = [];
  #start: RunStart | null = null;
  /** The statistics of the last finished run, or null. */
  stats: PeakStatsResult | null = null;
  /** The statistics of the derivative, when asked for. */
  derivativeStats: PeakStatsResult | null = null;

  constructor(x: string, y: string, options: PeakStatsOptions = {}) {
    super();
    this.x = x;
    this.y = y;
    this.#options = options;
  }

  get com(): number | null {
    return this.stats?.com ?? null;
  }
  get cen(): number | null {
    return this.stats?.cen ?? null;
  }
  get max(): XY | null {
    return this.stats?.max ?? null;
  }
  get min(): XY | null {
    return this.stats?.min ?? null;
  }
  get crossings(): number[] | null {
    return this.stats?.crossings ?? null;
  }
  get fwhm(): number | null {
    return this.stats?.fwhm ?? null;
  }
  /** The (x, y) data of the current or last run. */
  get data(): { x: readonly number[]; y: readonly number[] } {
    return { x: this.#xs, y: this.#ys };
  }

  override start(doc: RunStart): void {
    this.#start = doc;
    this.#xs = [];
    this.#ys = [];
    this.stats = null;
    this.derivativeStats = null;
  }

  override event(doc: Event): void {
    const x = doc.data[this.x];
    const y = doc.data[this.y];
    if (typeof x !== "number" || typeof y !== "number") return;
    this.#xs.push(x);
    this.#ys.push(y);
  }

  override stop(_doc: RunStop): void {
    if (this.#xs.length === 0 || this.#start === null) return;
    const options =
      this.#options.edgeCount === undefined ? {} : { edgeCount: this.#options.edgeCount };
    this.stats = peakStats(this.#xs, this.#ys, options);
    this.derivativeStats =
      this.#options.calcDerivativeAndStats && this.#xs.length >= 2
        ? derivativePeakStats(this.#xs, this.#ys, options)
        : null;
    this.#options.onResult?.(this.stats, this.derivativeStats, this.#start);
  }
}
