// Initial guesses from data: cheap, robust estimates that land the fit in the right basin.

/** x and y sorted by x (stable), as new arrays. */
export function sortByX(x: readonly number[], y: readonly number[]): { x: number[]; y: number[] } {
  const order = x.map((_, i) => i).sort((a, b) => (x[a] ?? 0) - (x[b] ?? 0));
  return { x: order.map((i) => x[i] ?? 0), y: order.map((i) => y[i] ?? 0) };
}

/** Median of a list (NaN when empty). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Median distance between neighbouring distinct x values (0 if fewer than two). */
export function medianSpacing(x: readonly number[]): number {
  const sorted = [...x].sort((a, b) => a - b);
  const gaps: number[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const gap = (sorted[i] ?? 0) - (sorted[i - 1] ?? 0);
    if (gap > 0) gaps.push(gap);
  }
  return gaps.length ? median(gaps) : 0;
}

/** What a peak looks like at first sight. */
export interface PeakGuess {
  center: number;
  /** Signed height above the baseline (negative for a dip). */
  height: number;
  fwhm: number;
  baseline: number;
}

/**
 * Locates the dominant peak (or dip, when the data dips further below its median than it rises
 * above it): its extreme point, height over the opposite extreme and the half-maximum width.
 */
export function guessPeak(xIn: readonly number[], yIn: readonly number[]): PeakGuess {
  const { x, y } = sortByX(xIn, yIn);
  const n = x.length;
  const span = n > 1 ? (x[n - 1] ?? 0) - (x[0] ?? 0) : 1;
  let iMax = 0;
  let iMin = 0;
  for (let i = 1; i < n; i++) {
    if ((y[i] ?? 0) > (y[iMax] ?? 0)) iMax = i;
    if ((y[i] ?? 0) < (y[iMin] ?? 0)) iMin = i;
  }
  const yMax = y[iMax] ?? 0;
  const yMin = y[iMin] ?? 0;
  // Peak or dip: measured from the baseline at the ends of the scan, not from the median, which
  // sits high when most points were taken on a peak (as adaptive scans and fine scans do).
  const edge = Math.max(1, Math.floor(n / 10));
  const ends = [...y.slice(0, edge), ...y.slice(n - edge)];
  const level = ends.reduce((sum, v) => sum + v, 0) / ends.length;
  const dip = level - yMin > yMax - level;
  const top = dip ? iMin : iMax;
  const baseline = dip ? yMax : yMin;
  const height = (y[top] ?? 0) - baseline;
  const half = baseline + height / 2;
  const above = (i: number) => (dip ? (y[i] ?? 0) < half : (y[i] ?? 0) > half);
  const crossing = (inside: number, outside: number) => {
    const yi = y[inside] ?? 0;
    const yo = y[outside] ?? 0;
    const xi = x[inside] ?? 0;
    const xo = x[outside] ?? 0;
    return yi === yo ? xo : xi + ((half - yi) * (xo - xi)) / (yo - yi);
  };
  let left = top;
  while (left > 0 && above(left - 1)) left--;
  let right = top;
  while (right < n - 1 && above(right + 1)) right++;
  const xLeft = left > 0 ? crossing(left, left - 1) : (x[0] ?? 0);
  const xRight = right < n - 1 ? crossing(right, right + 1) : (x[n - 1] ?? 0);
  let fwhm = xRight - xLeft;
  const spacing = medianSpacing(x);
  if (!(fwhm > 0)) fwhm = spacing > 0 ? spacing : span / 10 || 1;
  return { center: x[top] ?? 0, height, fwhm, baseline };
}

/** Least-squares straight line. */
export function fitLine(
  x: readonly number[],
  y: readonly number[],
): { slope: number; intercept: number } {
  const n = x.length;
  if (n === 0) return { slope: 0, intercept: 0 };
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i] ?? 0;
    sy += y[i] ?? 0;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] ?? 0) - mx;
    sxx += dx * dx;
    sxy += dx * ((y[i] ?? 0) - my);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return { slope, intercept: my - slope * mx };
}

/** [min, max] of a list, without spreading (large arrays would overflow the call stack). */
export function extent(values: readonly number[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}
