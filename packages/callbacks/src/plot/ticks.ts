// Axis limits and "nice" tick positions (steps of 1, 2 or 5 times a power of ten).

/** [lo, hi] of the finite values, or undefined when there are none. */
export function finiteExtent(values: Iterable<number>): [number, number] | undefined {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/** Widens a range by `fraction` of its span on each side; a zero-width range gets a unit span. */
export function padRange(range: [number, number], fraction: number): [number, number] {
  const [lo, hi] = range;
  if (hi === lo) {
    const half = lo === 0 ? 0.5 : Math.abs(lo) * 0.1;
    return [lo - half, hi + half];
  }
  const pad = (hi - lo) * fraction;
  return [lo - pad, hi + pad];
}

/** A 1, 2 or 5 times 10^k step giving about `target` intervals over the range. */
export function niceStep(span: number, target: number): number {
  const raw = span / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction < 1.5 ? 1 : fraction < 3.5 ? 2 : fraction < 7.5 ? 5 : 10;
  return nice * power;
}

/** Tick positions inside [lo, hi] and the step between them. */
export function niceTicks(
  lo: number,
  hi: number,
  target: number,
): { ticks: number[]; step: number } {
  const step = niceStep(hi - lo, target);
  // A range a few float steps wide (a near-constant signal): k * step cannot count across it
  // (k++ stops changing k past 2^53), so the ends are the ticks.
  if (
    !(step > 0 && Number.isFinite(step)) ||
    Math.abs(lo / step) > 2 ** 50 ||
    (hi - lo) / step > 1000
  ) {
    return {
      ticks: lo === hi ? [lo] : [lo, hi],
      step: Number.isFinite(step) && step > 0 ? step : Math.abs(lo) || 1,
    };
  }
  const ticks: number[] = [];
  const first = Math.ceil(lo / step - 1e-9);
  for (let k = first; k * step <= hi + step * 1e-9; k++) ticks.push(k * step);
  return { ticks, step };
}

/** A tick label with just enough decimals for the step; exponents for very large or small. */
export function formatTick(value: number, step: number): string {
  if (Math.abs(value) < step * 1e-9) return "0";
  const magnitude = Math.max(Math.abs(value), step);
  if (magnitude >= 1e6 || step < 1e-4) {
    const digits = Math.floor(Math.log10(magnitude)) - Math.floor(Math.log10(step) + 1e-9);
    return value.toExponential(Math.min(Math.max(digits, 0), 6)).replace("e+", "e");
  }
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return value.toFixed(Math.min(decimals, 10));
}
