import { AnalysisInputError, ModelDefinitionError } from "../errors.ts";
import { invertSymmetric } from "../linear-algebra.ts";
import { extent, medianSpacing } from "../models/guess.ts";
import type { DataSummary, Model, ParamRole } from "../models/model.ts";
import { fDistributionSf } from "../special/f-distribution.ts";
import type { FitFailure, FitResult } from "./fit-result.ts";
import { solveLeastSquares } from "./least-squares.ts";
import { judge } from "./verdict.ts";

/** Options of fit(). */
export interface FitOptions {
  /** Starting values that replace the guess (lmfit's init_guess). */
  initial?: Readonly<Record<string, number>>;
  /** Parameters held at these values instead of varied. */
  fixed?: Readonly<Record<string, number>>;
  /** Standard deviation of each y; the fit then minimizes sum(((y - f) / yerr)^2). A yerr of 0 leaves its point out. */
  yerr?: readonly number[];
  /** Iteration budget of the minimizer (default 300). */
  maxIterations?: number;
  /**
   * p-value the F-test against a constant must beat for the model to count as found (default
   * 1e-3); for peaks and steps it is divided by the number of widths that fit in the scanned range.
   */
  significance?: number;
  /** A parameter fails when stderr exceeds this times its natural scale (default 1). */
  maxRelativeError?: number;
  /** Run the model's plausibility check (peak inside the data...); default true. */
  checkPlausibility?: boolean;
}

/**
 * Fits `model` to (x, y) by Levenberg-Marquardt from an initial guess computed from the data, and
 * reports uncertainties (covariance = inv(JᵀJ) * reduced chi-square) and a verdict: `success` is
 * false, with a reason, when the data do not support the model (pure noise, too few points,
 * undetermined or implausible parameters), so garbage never passes as a result.
 * @example
 * const result = fit(gaussian(), motorPositions, detectorCounts);
 * if (result.success) console.log(result.params.center, "+/-", result.stderr.center);
 */
export function fit(
  model: Model,
  x: readonly number[],
  y: readonly number[],
  options: FitOptions = {},
): FitResult {
  if (x.length !== y.length) {
    throw new AnalysisInputError(
      `fit: x has ${x.length} values but y has ${y.length}; they must pair up point by point`,
    );
  }
  if (options.yerr && options.yerr.length !== y.length) {
    throw new AnalysisInputError(
      `fit: yerr has ${options.yerr.length} values but y has ${y.length}`,
    );
  }
  const names = model.paramNames;
  for (const [what, record] of [
    ["initial", options.initial],
    ["fixed", options.fixed],
  ] as const) {
    for (const key of Object.keys(record ?? {})) {
      if (!names.includes(key)) {
        throw new ModelDefinitionError(
          `fit: ${what} value for unknown parameter "${key}"; model "${model.name}" has ${JSON.stringify(names)}`,
        );
      }
    }
  }
  const fixed = options.fixed ?? {};
  const free = names.map((_, k) => k).filter((k) => !((names[k] as string) in fixed));
  // A point whose uncertainty is 0 (e.g. sqrt of 0 counts) gets weight 0, as bluesky's LiveFit
  // does, instead of failing the fit: it is left out, and not counted as data.
  const w = options.yerr ? options.yerr.map((e) => (e > 0 ? 1 / e : 0)) : y.map(() => 1);
  const used = w.filter((v) => v > 0).length;
  const base = emptyResult(model, used, free.length);
  base.varied = free.map((k) => names[k] as string);

  const bad = firstInvalid(x, y, options.yerr);
  if (bad !== null) return failed(base, { code: "invalid-data", message: bad });
  const guessed = x.length > 0 ? model.guess(x, y) : names.map(() => 0);
  const start = names.map((name, k) => fixed[name] ?? options.initial?.[name] ?? guessed[k] ?? 0);
  base.initial = record(names, start);
  base.params = { ...base.initial };
  if (used <= free.length) {
    return failed(base, {
      code: "too-few-points",
      message: `${used} points${used < x.length ? ` (of ${x.length}; those with yerr 0 do not count)` : ""} cannot fit ${free.length} varied parameters (${free.map((k) => names[k]).join(", ")}); at least ${free.length + 1} are needed`,
    });
  }

  const summary = summarize(x);
  const xSpan = summary.xMax - summary.xMin || 1;
  const yScale = extent(y.map((v, i) => Math.abs(v * (w[i] ?? 1))))[1] || 1;
  const [yMin, yMax] = extent(y);
  const ySpan = yMax - yMin || 1;
  const scales = free.map((k) => scaleOf(model.params[k]?.role ?? "coefficient", start[k] ?? 0));
  function scaleOf(role: ParamRole, value: number): number {
    if (role === "position") return xSpan;
    if (value !== 0 && Number.isFinite(value)) return Math.abs(value);
    if (role === "width") return xSpan;
    if (role === "amplitude") return ySpan;
    return 1;
  }

  const solution = solveLeastSquares({
    model,
    x,
    y,
    w,
    start,
    free,
    scales,
    yScale,
    maxIterations: options.maxIterations ?? 300,
  });
  const values = model.normalize(solution.values);
  const nfree = used - free.length;
  const result: FitResult = {
    ...base,
    params: record(names, values),
    derived: model.derived(values),
    chisqr: solution.chi2,
    redchi: solution.chi2 / nfree,
    nfree,
    iterations: solution.iterations,
    converged: solution.converged,
  };
  const constantChi2 = chi2OfConstant(y, w);
  result.rSquared = constantChi2 > 0 ? 1 - solution.chi2 / constantChi2 : Number.NaN;
  if (free.length >= 2) {
    const f =
      solution.chi2 > 0
        ? (constantChi2 - solution.chi2) / (free.length - 1) / (solution.chi2 / nfree)
        : Number.POSITIVE_INFINITY;
    result.fStatistic = f;
    result.pValue = fDistributionSf(f, free.length - 1, nfree);
  }

  if (!values.every(Number.isFinite) || !Number.isFinite(solution.chi2)) {
    return failed(result, {
      code: "not-converged",
      message: "the minimizer ran into non-finite values; the model cannot describe these data",
    });
  }
  const inverse = invertSymmetric(solution.jtj);
  if (inverse !== null) {
    const redchiNormalized = solution.chi2Normalized / nfree;
    result.covariance = inverse.map((row, i) =>
      row.map((v, j) => v * redchiNormalized * (scales[i] ?? 1) * (scales[j] ?? 1)),
    );
    free.forEach((k, j) => {
      const variance = result.covariance?.[j]?.[j] ?? Number.NaN;
      result.stderr[names[k] as string] = variance >= 0 ? Math.sqrt(variance) : null;
    });
  }
  const failure = judge(model, result, {
    summary,
    xSpan,
    free,
    converged: solution.converged,
    singular: inverse === null,
    options,
  });
  return failure ? failed(result, failure) : { ...result, success: true };
}

function emptyResult(model: Model, ndata: number, nvarys: number): FitResult {
  return {
    success: false,
    failure: null,
    reason: "",
    model: model.name,
    params: {},
    stderr: Object.fromEntries(model.paramNames.map((n) => [n, null])),
    initial: {},
    derived: {},
    varied: [],
    covariance: null,
    ndata,
    nvarys,
    nfree: ndata - nvarys,
    chisqr: Number.NaN,
    redchi: Number.NaN,
    rSquared: Number.NaN,
    fStatistic: null,
    pValue: null,
    iterations: 0,
    converged: false,
  };
}

function failed(result: FitResult, failure: FitFailure): FitResult {
  return { ...result, success: false, failure, reason: failure.message };
}

function record(names: readonly string[], values: readonly number[]): Record<string, number> {
  return Object.fromEntries(names.map((n, k) => [n, values[k] ?? Number.NaN]));
}

function firstInvalid(
  x: readonly number[],
  y: readonly number[],
  yerr: readonly number[] | undefined,
): string | null {
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) return `x[${i}] is ${x[i]}; every x must be a finite number`;
    if (!Number.isFinite(y[i])) return `y[${i}] is ${y[i]}; every y must be a finite number`;
    const e = yerr?.[i];
    if (yerr && !(e !== undefined && e >= 0 && Number.isFinite(e))) {
      return `yerr[${i}] is ${e}; uncertainties must be finite and >= 0 (0: the point is left out)`;
    }
  }
  return null;
}

function summarize(x: readonly number[]): DataSummary {
  const [xMin, xMax] = extent(x);
  return { xMin, xMax, spacing: medianSpacing(x) };
}

/** Chi-square of the best (weighted mean) constant. */
function chi2OfConstant(y: readonly number[], w: readonly number[]): number {
  let sw = 0;
  let swy = 0;
  y.forEach((v, i) => {
    const w2 = (w[i] ?? 1) ** 2;
    sw += w2;
    swy += w2 * v;
  });
  const mean = swy / sw;
  return y.reduce((sum, v, i) => sum + ((v - mean) * (w[i] ?? 1)) ** 2, 0);
}
