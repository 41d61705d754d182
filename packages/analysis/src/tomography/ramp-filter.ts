// The ramp filter of filtered back-projection, as a spatial-domain convolution (Kak & Slaney,
// "Principles of Computerized Tomographic Imaging", ch. 3): exact linear convolution, no
// wrap-around, and O(n²) per row, the same order as back-projecting the row.
import { AnalysisInputError } from "../errors.ts";

/** The ramp filter's window: "ram-lak" (bare ramp) or "shepp-logan" (ramp × sinc, less noise). */
export type RampFilter = "ram-lak" | "shepp-logan";

/** The names RampFilter accepts, for checks and forms. */
export const RAMP_FILTERS: readonly RampFilter[] = ["ram-lak", "shepp-logan"];

/**
 * The discrete impulse response of the filter for rows of `width` pixels (pixel size 1):
 * entry `n + width − 1` is h(n), for n in −(width − 1)..(width − 1).
 */
export function rampKernel(width: number, filter: RampFilter = "ram-lak"): Float64Array {
  if (!Number.isInteger(width) || width < 1) {
    throw new AnalysisInputError(`rampKernel: width ${width} is not an integer >= 1`);
  }
  if (!RAMP_FILTERS.includes(filter)) {
    throw new AnalysisInputError(
      `rampKernel: unknown filter ${JSON.stringify(filter)}; expected ${RAMP_FILTERS.join(" or ")}`,
    );
  }
  const kernel = new Float64Array(2 * width - 1);
  for (let n = -(width - 1); n < width; n++) {
    let h: number;
    if (filter === "shepp-logan") h = -2 / (Math.PI * Math.PI * (4 * n * n - 1));
    else if (n === 0) h = 0.25;
    else h = n % 2 === 0 ? 0 : -1 / (Math.PI * Math.PI * n * n);
    kernel[n + width - 1] = h;
  }
  return kernel;
}

/** Convolves `row` with a kernel from rampKernel(row.length), into `out` (returned). */
export function filterRow(
  row: ArrayLike<number>,
  kernel: Float64Array,
  out: Float64Array = new Float64Array(row.length),
): Float64Array {
  const width = row.length;
  if (kernel.length !== 2 * width - 1 || out.length !== width) {
    throw new AnalysisInputError(
      `filterRow: a row of ${width} pixels needs a kernel of ${2 * width - 1} and an output of ${width}; got ${kernel.length} and ${out.length}`,
    );
  }
  out.fill(0);
  for (let k = 0; k < width; k++) {
    const p = row[k] ?? 0;
    if (p === 0) continue;
    // out[n] += h(n − k) p(k): the kernel entry of n − k is at n − k + width − 1.
    const shift = width - 1 - k;
    for (let n = 0; n < width; n++) out[n] = (out[n] ?? 0) + (kernel[n + shift] ?? 0) * p;
  }
  return out;
}
