import { AnalysisInputError } from "./errors.ts";

/** A point of the data: [x, y]. */
export type XY = [number, number];

/**
 * Peak statistics of one scan, as Bluesky's PeakStats computes them. Fields are null where
 * Bluesky's are None (no crossings, fewer than two crossings for fwhm, no background fit).
 */
export interface PeakStatsResult {
  /** x and original y at the minimum of the (background-corrected) y. */
  min: XY;
  /** x and original y at the maximum of the (background-corrected) y. */
  max: XY;
  /** Centre of mass of y over the point index, mapped to x by linear interpolation. */
  com: number | null;
  /** Mean of the half-maximum crossings. */
  cen: number | null;
  /** x where y crosses (max + min) / 2, interpolated between neighbouring points. */
  crossings: number[] | null;
  /** |last crossing - first crossing|, when there are at least two. */
  fwhm: number | null;
  /** The straight background subtracted with edgeCount: y = m x + b. */
  linBkg: { m: number; b: number } | null;
  /** The data the statistics were computed from. */
  x: number[];
  y: number[];
}

export interface PeakStatsOptions {
  /**
   * Subtract a line through the means of the first and last `edgeCount` points first
   * (Bluesky's quick background removal).
   */
  edgeCount?: number;
}

/**
 * Bluesky's peak statistics of y(x): min, max, centre of mass, half-maximum crossings, their mean
 * (`cen`) and spread (`fwhm`). The data are used in the order given (scan order), as Bluesky does.
 * @example const { cen, fwhm } = peakStats([-1, 0, 1], [0.5, 1, 0.5]);
 */
export function peakStats(
  x: readonly number[],
  y: readonly number[],
  options: PeakStatsOptions = {},
): PeakStatsResult {
  if (x.length !== y.length) {
    throw new AnalysisInputError(
      `peakStats: x has ${x.length} values but y has ${y.length}; they must pair up point by point`,
    );
  }
  if (x.length === 0) throw new AnalysisInputError("peakStats: no data points");
  const n = x.length;
  let corrected = [...y];
  let linBkg: PeakStatsResult["linBkg"] = null;
  const edge = options.edgeCount;
  if (edge !== undefined) {
    if (!Number.isInteger(edge) || edge < 1) {
      throw new AnalysisInputError(`peakStats: edgeCount must be a positive integer, got ${edge}`);
    }
    const mean = (v: readonly number[]) => v.reduce((s, e) => s + e, 0) / v.length;
    // Like numpy's x[:N] and x[-N:], which clip at the array's length.
    const head = (v: readonly number[]) => v.slice(0, edge);
    const tail = (v: readonly number[]) => v.slice(Math.max(0, n - edge));
    const leftX = mean(head(x));
    const leftY = mean(head(y));
    const m = (mean(tail(y)) - leftY) / (mean(tail(x)) - leftX);
    const b = leftY - m * leftX;
    corrected = y.map((v, i) => v - (m * (x[i] ?? 0) + b));
    linBkg = { m, b };
  }
  let iMin = 0;
  let iMax = 0;
  let sum = 0;
  let moment = 0;
  for (let i = 0; i < n; i++) {
    const v = corrected[i] ?? 0;
    // numpy's argmin/argmax take the first extreme and propagate NaN as the extreme.
    if (v < (corrected[iMin] ?? 0) || (Number.isNaN(v) && !Number.isNaN(corrected[iMin]))) iMin = i;
    if (v > (corrected[iMax] ?? 0) || (Number.isNaN(v) && !Number.isNaN(corrected[iMax]))) iMax = i;
    sum += v;
    moment += i * v;
  }
  const yLow = corrected[iMin] ?? Number.NaN;
  const yHigh = corrected[iMax] ?? Number.NaN;
  const mid = (yHigh + yLow) / 2;
  const crossings: number[] = [];
  for (let i = 0; i + 1 < n; i++) {
    const above0 = (corrected[i] ?? 0) > mid;
    const above1 = (corrected[i + 1] ?? 0) > mid;
    if (above0 === above1) continue;
    const x0 = x[i] ?? 0;
    const y0 = (corrected[i] ?? 0) - mid;
    const slope = ((corrected[i + 1] ?? 0) - mid - y0) / ((x[i + 1] ?? 0) - x0);
    crossings.push(-y0 / slope + x0);
  }
  const first = crossings[0];
  const last = crossings[crossings.length - 1];
  return {
    min: [x[iMin] ?? Number.NaN, y[iMin] ?? Number.NaN],
    max: [x[iMax] ?? Number.NaN, y[iMax] ?? Number.NaN],
    com: sum !== 0 && Number.isFinite(moment / sum) ? interpolateIndex(x, moment / sum) : null,
    cen: crossings.length ? crossings.reduce((s, c) => s + c, 0) / crossings.length : null,
    crossings: crossings.length ? crossings : null,
    fwhm:
      crossings.length >= 2 && first !== undefined && last !== undefined
        ? Math.abs(last - first)
        : null,
    linBkg,
    x: [...x],
    y: [...y],
  };
}

/**
 * The derivative variant (Bluesky's calc_derivative_and_stats): the statistics of
 * (x[1:], diff(y)), the point-to-point differences of y (not divided by the step).
 */
export function derivativePeakStats(
  x: readonly number[],
  y: readonly number[],
  options: PeakStatsOptions = {},
): PeakStatsResult {
  if (x.length !== y.length) {
    throw new AnalysisInputError(
      `derivativePeakStats: x has ${x.length} values but y has ${y.length}`,
    );
  }
  if (x.length < 2) {
    throw new AnalysisInputError(
      `derivativePeakStats: needs at least 2 points for a difference, got ${x.length}`,
    );
  }
  const dy = y.slice(1).map((v, i) => v - (y[i] ?? 0));
  return peakStats(x.slice(1), dy, options);
}

/** np.interp(index, arange(n), x): x at a fractional index, clamped to the ends. */
function interpolateIndex(x: readonly number[], index: number): number {
  const n = x.length;
  if (index <= 0) return x[0] ?? Number.NaN;
  if (index >= n - 1) return x[n - 1] ?? Number.NaN;
  const i = Math.floor(index);
  const x0 = x[i] ?? 0;
  return x0 + (index - i) * ((x[i + 1] ?? 0) - x0);
}
