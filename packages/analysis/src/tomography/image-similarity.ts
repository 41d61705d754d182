// How close a reconstruction is to a reference image: the figures tomography tests and
// dashboards quote.
import { AnalysisInputError } from "../errors.ts";

/** An image as a flat row-major array or as rows. */
export type ImageLike = ArrayLike<number> | ArrayLike<ArrayLike<number>>;

function flatten(image: ImageLike, what: string): Float64Array {
  const first = image[0];
  if (typeof first === "object" && first !== null) {
    const rows = image as ArrayLike<ArrayLike<number>>;
    const width = first.length;
    const out = new Float64Array(rows.length * width);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      if (row?.length !== width) {
        throw new AnalysisInputError(
          `${what}: row ${r} has ${row?.length} pixels; expected ${width} like row 0`,
        );
      }
      for (let j = 0; j < width; j++) out[r * width + j] = row[j] ?? Number.NaN;
    }
    return out;
  }
  return Float64Array.from(image as ArrayLike<number>);
}

/** The pixels of `a` and `b` (same size) selected by `mask` (every pixel without one). */
function paired(
  a: ImageLike,
  b: ImageLike,
  mask: ArrayLike<boolean> | undefined,
  what: string,
): [number[], number[]] {
  const x = flatten(a, what);
  const y = flatten(b, what);
  if (x.length !== y.length || (mask && mask.length !== x.length)) {
    throw new AnalysisInputError(
      `${what}: images of ${x.length} and ${y.length} pixels${mask ? ` and a mask of ${mask.length}` : ""}; expected equal sizes`,
    );
  }
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (mask && !mask[i]) continue;
    xs.push(x[i] ?? Number.NaN);
    ys.push(y[i] ?? Number.NaN);
  }
  if (xs.length === 0) throw new AnalysisInputError(`${what}: no pixels to compare`);
  return [xs, ys];
}

/**
 * The normalized cross-correlation (Pearson's r over pixels) of two images: 1 for images equal
 * up to brightness and contrast, 0 for unrelated ones; NaN if either is flat.
 */
export function normalizedCrossCorrelation(
  a: ImageLike,
  b: ImageLike,
  mask?: ArrayLike<boolean>,
): number {
  const [xs, ys] = paired(a, b, mask, "normalizedCrossCorrelation");
  const n = xs.length;
  const mx = xs.reduce((s, v) => s + v, 0) / n;
  const my = ys.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] ?? 0) - mx;
    const dy = (ys[i] ?? 0) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** The root-mean-square difference of two images, in their units. */
export function rootMeanSquareError(a: ImageLike, b: ImageLike, mask?: ArrayLike<boolean>): number {
  const [xs, ys] = paired(a, b, mask, "rootMeanSquareError");
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += ((xs[i] ?? 0) - (ys[i] ?? 0)) ** 2;
  return Math.sqrt(sum / xs.length);
}

/** The pixels of a width × width slice inside its inscribed circle, where every angle sees them. */
export function reconstructionCircle(width: number): boolean[] {
  const c = (width - 1) / 2;
  const r2 = (width / 2) ** 2;
  return Array.from({ length: width * width }, (_, i) => {
    const dx = (i % width) - c;
    const dy = Math.floor(i / width) - c;
    return dx * dx + dy * dy <= r2;
  });
}
