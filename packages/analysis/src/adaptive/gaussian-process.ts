// A Gaussian-process regression surrogate: RBF kernel plus a noise term, exact inference by
// Cholesky factorisation (ml-matrix), hyperparameters chosen on a small grid by the log marginal
// likelihood. Inputs are scaled to the unit box of the given bounds and outputs standardised, so
// one grid fits any units.
import { CholeskyDecomposition, Matrix } from "ml-matrix";
import { AnalysisInputError } from "../errors.ts";

/** Kernel hyperparameters, in the scaled units (unit box, standardised y). */
export interface GpHyperparameters {
  /** RBF length scale. */
  lengthScale: number;
  /** Signal variance. */
  signalVariance: number;
  /** Noise variance (also keeps the factorisation well conditioned). */
  noiseVariance: number;
}

/** Options of fitGaussianProcess. */
export interface GaussianProcessOptions {
  /** [low, high] of each input dimension; inputs are scaled by it. */
  bounds: readonly (readonly [number, number])[];
  /** Candidate length scales (default 0.05 to 1). */
  lengthScales?: readonly number[];
  /** Candidate signal variances (default 0.5, 1, 2). */
  signalVariances?: readonly number[];
  /** Candidate noise variances (default log-spaced from 1e-6 to 1). */
  noiseVariances?: readonly number[];
}

/** A posterior prediction at one point, in the caller's units. */
export interface GpPrediction {
  mean: number;
  variance: number;
}

const DEFAULT_LENGTHS = [0.05, 0.1, 0.15, 0.2, 0.3, 0.45, 0.7, 1];
const DEFAULT_SIGNALS = [0.5, 1, 2];
// Up to the whole standardised variance: a noisy signal must be explainable as noise, or the
// surrogate interpolates every reading and chases the luckiest one.
const DEFAULT_NOISES = [1e-6, 1e-4, 1e-3, 1e-2, 0.03, 0.1, 0.3, 1];

/** A fitted Gaussian process: predict() gives the posterior mean and variance anywhere. */
export class GaussianProcess {
  readonly hyperparameters: GpHyperparameters;
  /** Log marginal likelihood of the standardised data under the chosen hyperparameters. */
  readonly logMarginalLikelihood: number;
  readonly #x: number[][];
  readonly #bounds: readonly (readonly [number, number])[];
  readonly #yMean: number;
  readonly #yScale: number;
  readonly #lower: Matrix;
  readonly #alpha: number[];

  constructor(
    parts: {
      x: number[][];
      bounds: readonly (readonly [number, number])[];
      yMean: number;
      yScale: number;
      lower: Matrix;
      alpha: number[];
      logMarginalLikelihood: number;
    },
    hyperparameters: GpHyperparameters,
  ) {
    this.#x = parts.x;
    this.#bounds = parts.bounds;
    this.#yMean = parts.yMean;
    this.#yScale = parts.yScale;
    this.#lower = parts.lower;
    this.#alpha = parts.alpha;
    this.logMarginalLikelihood = parts.logMarginalLikelihood;
    this.hyperparameters = hyperparameters;
  }

  /** Posterior mean and variance (of the latent function, without noise) at `point`. */
  predict(point: readonly number[]): GpPrediction {
    const u = scale(point, this.#bounds);
    const h = this.hyperparameters;
    const k = this.#x.map((xi) => rbf(xi, u, h));
    let mean = 0;
    for (let i = 0; i < k.length; i++) mean += (k[i] ?? 0) * (this.#alpha[i] ?? 0);
    const v = forwardSubstitute(this.#lower, k);
    let variance = h.signalVariance;
    for (const vi of v) variance -= vi * vi;
    return {
      mean: this.#yMean + this.#yScale * mean,
      variance: Math.max(0, variance) * this.#yScale * this.#yScale,
    };
  }
}

/**
 * Fits a Gaussian process to points `x` (rows) and values `y`, choosing the hyperparameters
 * that maximise the log marginal likelihood over a small grid.
 * @example const gp = fitGaussianProcess(xs, ys, { bounds: [[-2, 2], [-2, 2]] }); gp.predict([0, 0])
 */
export function fitGaussianProcess(
  x: readonly (readonly number[])[],
  y: readonly number[],
  options: GaussianProcessOptions,
): GaussianProcess {
  const { bounds } = options;
  if (x.length === 0 || x.length !== y.length) {
    throw new AnalysisInputError(
      `fitGaussianProcess: needs at least one point and as many values as points; got ${x.length} points and ${y.length} values`,
    );
  }
  x.forEach((row, i) => {
    if (row.length !== bounds.length || !row.every(Number.isFinite)) {
      throw new AnalysisInputError(
        `fitGaussianProcess: point ${i} is ${JSON.stringify(row)}; expected ${bounds.length} finite coordinates (one per bound)`,
      );
    }
    if (!Number.isFinite(y[i])) {
      throw new AnalysisInputError(
        `fitGaussianProcess: value ${i} is ${y[i]}; expected a finite number`,
      );
    }
  });
  for (const [low, high] of bounds) {
    if (!(low < high)) {
      throw new AnalysisInputError(
        `fitGaussianProcess: every bound must be [low, high] with low < high, got ${JSON.stringify([low, high])}`,
      );
    }
  }
  const scaled = x.map((row) => scale(row, bounds));
  const yMean = y.reduce((a, b) => a + b, 0) / y.length;
  const spread = Math.sqrt(y.reduce((a, b) => a + (b - yMean) ** 2, 0) / y.length);
  const yScale = spread > 0 ? spread : 1;
  const z = y.map((v) => (v - yMean) / yScale);
  let best: { h: GpHyperparameters; lower: Matrix; alpha: number[]; lml: number } | null = null;
  for (const lengthScale of options.lengthScales ?? DEFAULT_LENGTHS) {
    for (const signalVariance of options.signalVariances ?? DEFAULT_SIGNALS) {
      for (const noiseVariance of options.noiseVariances ?? DEFAULT_NOISES) {
        const h = { lengthScale, signalVariance, noiseVariance };
        const candidate = condition(scaled, z, h);
        if (candidate && (best === null || candidate.lml > best.lml)) best = { h, ...candidate };
      }
    }
  }
  if (best === null) {
    throw new AnalysisInputError(
      "fitGaussianProcess: the kernel matrix is not positive definite for any hyperparameters on the grid (duplicate points with a zero noise grid?)",
    );
  }
  return new GaussianProcess(
    {
      x: scaled,
      bounds,
      yMean,
      yScale,
      lower: best.lower,
      alpha: best.alpha,
      logMarginalLikelihood: best.lml,
    },
    best.h,
  );
}

/** Cholesky factor, weights and log marginal likelihood, or null if not positive definite. */
function condition(
  x: readonly number[][],
  z: readonly number[],
  h: GpHyperparameters,
): { lower: Matrix; alpha: number[]; lml: number } | null {
  const n = x.length;
  const k = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = rbf(x[i] as number[], x[j] as number[], h) + (i === j ? h.noiseVariance : 0);
      k.set(i, j, v);
      k.set(j, i, v);
    }
  }
  const cholesky = new CholeskyDecomposition(k);
  if (!cholesky.isPositiveDefinite()) return null;
  const alpha = cholesky.solve(Matrix.columnVector([...z])).getColumn(0);
  const lower = cholesky.lowerTriangularMatrix;
  let logDet = 0;
  for (let i = 0; i < n; i++) logDet += Math.log(lower.get(i, i));
  let fitTerm = 0;
  for (let i = 0; i < n; i++) fitTerm += (z[i] ?? 0) * (alpha[i] ?? 0);
  const lml = -0.5 * fitTerm - logDet - 0.5 * n * Math.log(2 * Math.PI);
  return Number.isFinite(lml) ? { lower, alpha, lml } : null;
}

function rbf(a: readonly number[], b: readonly number[], h: GpHyperparameters): number {
  let d2 = 0;
  for (let i = 0; i < a.length; i++) d2 += ((a[i] ?? 0) - (b[i] ?? 0)) ** 2;
  return h.signalVariance * Math.exp(-d2 / (2 * h.lengthScale * h.lengthScale));
}

function scale(point: readonly number[], bounds: readonly (readonly [number, number])[]): number[] {
  return point.map((v, i) => {
    const [low, high] = bounds[i] ?? [0, 1];
    return (v - low) / (high - low);
  });
}

/** Solves L v = b for lower-triangular L. */
function forwardSubstitute(lower: Matrix, b: readonly number[]): number[] {
  const v = new Array<number>(b.length).fill(0);
  for (let i = 0; i < b.length; i++) {
    let sum = b[i] ?? 0;
    for (let k = 0; k < i; k++) sum -= lower.get(i, k) * (v[k] ?? 0);
    v[i] = sum / lower.get(i, i);
  }
  return v;
}
