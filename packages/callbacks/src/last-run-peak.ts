import {
  NoResultError,
  type PeakStatsResult,
  type PeakTarget,
  peakStats,
  peakTargetPosition,
} from "@cerulean/analysis";
import type { Event, EventDescriptor, RunStart, RunStop } from "@cerulean/event-model";
import { CallbackBase } from "./callback-base.ts";
import { hintedFields, runDimensions } from "./hinted-fields.ts";

export interface LastRunPeakOptions {
  /** The scanned field; default the run's first dimension (hints or motors). */
  x?: string;
  /** The detector field; default the first numeric hinted field of the primary stream. */
  y?: string;
  edgeCount?: number;
  /** Called whenever a run finished successfully with a peak result. */
  onResult?: (stats: PeakStatsResult, start: RunStart) => void;
}

/**
 * Per-run feedback for alignment: keeps the peak statistics of the last successful run so the
 * next plan can use them (`cen()`, `com()`, `peak()`, or `position("cen")` for a `goto_cen`).
 * Runs that fail or are aborted do not replace the last good result. Moving there is a plan
 * (`mv(motor, lastRun.cen())`), which belongs to the engine.
 * @example const last = new LastRunPeak(); engine.subscribe(last.callback); ... last.cen()
 */
export class LastRunPeak extends CallbackBase {
  readonly #options: LastRunPeakOptions;
  #run: RunStart | null = null;
  #x: string | null = null;
  #y: string | null = null;
  #primary = new Set<string>();
  #xs: number[] = [];
  #ys: number[] = [];
  #result: { stats: PeakStatsResult; start: RunStart; x: string; y: string } | null = null;

  constructor(options: LastRunPeakOptions = {}) {
    super();
    this.#options = options;
  }

  /** The last good result with the run and fields it came from, or null. */
  get result(): { stats: PeakStatsResult; start: RunStart; x: string; y: string } | null {
    return this.#result;
  }

  override start(doc: RunStart): void {
    this.#run = doc;
    this.#primary.clear();
    this.#xs = [];
    this.#ys = [];
    const { dimensions } = runDimensions(doc);
    this.#x = this.#options.x ?? dimensions[0]?.fields[0] ?? null;
    this.#y = this.#options.y ?? null;
  }

  override descriptor(doc: EventDescriptor): void {
    if (doc.name !== "primary") return;
    this.#primary.add(doc.uid);
    if (this.#y === null) {
      this.#y =
        hintedFields(doc).find((f) => {
          const dtype = doc.data_keys[f]?.dtype;
          return f !== this.#x && (dtype === "number" || dtype === "integer");
        }) ?? null;
    }
  }

  override event(doc: Event): void {
    if (!this.#primary.has(doc.descriptor) || this.#x === null || this.#y === null) return;
    const x = doc.data[this.#x];
    const y = doc.data[this.#y];
    if (typeof x !== "number" || typeof y !== "number") return;
    this.#xs.push(x);
    this.#ys.push(y);
  }

  override stop(doc: RunStop): void {
    const run = this.#run;
    if (!run || doc.run_start !== run.uid || doc.exit_status !== "success") return;
    if (this.#xs.length === 0 || this.#x === null || this.#y === null) return;
    const options =
      this.#options.edgeCount === undefined ? {} : { edgeCount: this.#options.edgeCount };
    const stats = peakStats(this.#xs, this.#ys, options);
    this.#result = { stats, start: run, x: this.#x, y: this.#y };
    this.#options.onResult?.(stats, run);
  }

  /** Where a goto_* alignment should move x: the statistic of the last good run. */
  position(target: PeakTarget): number {
    if (this.#result === null) {
      throw new NoResultError(
        "no finished run with peak data yet: run a scan that succeeds before asking for its peak",
      );
    }
    return peakTargetPosition(this.#result.stats, target);
  }

  /** The half-maximum centre of the last good run. */
  cen(): number {
    return this.position("cen");
  }
  /** The centre of mass of the last good run. */
  com(): number {
    return this.position("com");
  }
  /** The x of the highest reading of the last good run. */
  peak(): number {
    return this.position("peak");
  }
}
