import { levenbergMarquardt } from "ml-levenberg-marquardt";
import { cholesky, choleskySolve } from "../linear-algebra.ts";
import type { BoundFunction, Model } from "../models/model.ts";

/** A weighted least-squares problem in normalized coordinates; see solveLeastSquares. */
export interface LeastSquaresProblem {
  model: Model;
  x: readonly number[];
  y: readonly number[];
  /** 1 / yerr per point (all 1 when unweighted). */
  w: readonly number[];
  /** Full parameter vector at the start (fixed parameters hold their fixed values). */
  start: readonly number[];
  /** Indices of the varied parameters. */
  free: readonly number[];
  /** Scale of each varied parameter: u = (p - start) / scale. */
  scales: readonly number[];
  /** y is divided by this so that residuals are of order one. */
  yScale: number;
  maxIterations: number;
}

/** The minimizer's answer. */
export interface LeastSquaresSolution {
  values: number[];
  /** Weighted chi-square, in data units. */
  chi2: number;
  iterations: number;
  converged: boolean;
  /** JᵀJ of the normalized problem at the solution, for the covariance. */
  jtj: number[][];
  /** Normalized chi-square (chi2 / yScale^2), the scale of jtj. */
  chi2Normalized: number;
}

/** Iterations per call of the library; between calls we test convergence ourselves. */
const ROUND = 10;
/** A full Gauss-Newton step would lower chi2 by less than this fraction: converged. */
const RELATIVE_TOLERANCE = 1e-10;
/** Finite-difference step in normalized parameter units. */
const STEP = 1e-6;

interface Linearization {
  jtj: number[][];
  jtr: number[];
  chi2: number;
}

/**
 * Minimizes sum(((y - f(x)) w)^2) with ml-levenberg-marquardt, in parameters normalized by
 * `scales` (the library damps every parameter equally, so they must be of similar size). The
 * library stops only on an absolute error threshold, so it runs in short rounds, each followed by
 * Gauss-Newton polishing and a convergence test: converged when a full Gauss-Newton step would
 * lower chi-square by less than 1e-10 of itself.
 */
export function solveLeastSquares(problem: LeastSquaresProblem): LeastSquaresSolution {
  const { model, x, y, w, start, free, scales, yScale } = problem;
  const n = x.length;
  const nFree = free.length;
  const full = (u: readonly number[]) => {
    const values = [...start];
    free.forEach((k, j) => {
      values[k] = (start[k] ?? 0) + (scales[j] ?? 1) * (u[j] ?? 0);
    });
    return values;
  };
  const target = y.map((v, i) => (v * (w[i] ?? 1)) / yScale);
  const weight = w.map((v) => v / yScale);
  const bound = (u: readonly number[]): BoundFunction => model.bind(full(u));
  const chi2Of = (u: readonly number[]) => {
    const f = bound(u);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += ((target[i] ?? 0) - f(x[i] ?? 0) * (weight[i] ?? 0)) ** 2;
    return sum;
  };
  const jacobianRow = (u: readonly number[]): ((i: number) => number[]) => {
    if (model.bindGradient) {
      const g = model.bindGradient(full(u));
      const buffer = new Array<number>(start.length).fill(0);
      return (i) => {
        g(x[i] ?? 0, buffer, 0);
        return free.map((k, j) => (buffer[k] ?? 0) * (scales[j] ?? 1) * (weight[i] ?? 0));
      };
    }
    const plus = free.map((_, j) => bound(u.map((v, m) => (m === j ? v + STEP : v))));
    const minus = free.map((_, j) => bound(u.map((v, m) => (m === j ? v - STEP : v))));
    return (i) => {
      const xi = x[i] ?? 0;
      return plus.map(
        (fp, j) => ((fp(xi) - (minus[j] as BoundFunction)(xi)) / (2 * STEP)) * (weight[i] ?? 0),
      );
    };
  };
  const linearize = (u: readonly number[]): Linearization => {
    const f = bound(u);
    const row = jacobianRow(u);
    const jtj = Array.from({ length: nFree }, () => new Array<number>(nFree).fill(0));
    const jtr = new Array<number>(nFree).fill(0);
    let chi2 = 0;
    for (let i = 0; i < n; i++) {
      const r = (target[i] ?? 0) - f(x[i] ?? 0) * (weight[i] ?? 0);
      chi2 += r * r;
      const a = row(i);
      for (let p = 0; p < nFree; p++) {
        const ap = a[p] ?? 0;
        jtr[p] = (jtr[p] ?? 0) + ap * r;
        const line = jtj[p] as number[];
        for (let q = 0; q <= p; q++) line[q] = (line[q] ?? 0) + ap * (a[q] ?? 0);
      }
    }
    for (let p = 0; p < nFree; p++) {
      for (let q = p + 1; q < nFree; q++) (jtj[p] as number[])[q] = jtj[q]?.[p] ?? 0;
    }
    return { jtj, jtr, chi2 };
  };

  let u = new Array<number>(nFree).fill(0);
  let iterations = 0;
  let converged = false;
  const initialChi2 = chi2Of(u);
  const indices = Array.from({ length: n }, (_, i) => i);
  // The library keeps a new optimum only when it improves by more than errorTolerance.
  const errorTolerance = Math.max(initialChi2, 1e-300) * 1e-15;
  while (nFree > 0 && iterations < problem.maxIterations && Number.isFinite(initialChi2)) {
    const rounds = Math.min(ROUND, problem.maxIterations - iterations);
    const result = levenbergMarquardt(
      { x: indices, y: target },
      (v: number[]) => {
        const f = bound(v);
        return (i: number) => f(x[i] ?? 0) * (weight[i] ?? 0);
      },
      {
        initialValues: u,
        maxIterations: rounds,
        errorTolerance,
        jacobianFunction: (v: number[]) => jacobianRow(v),
      },
    );
    iterations += Math.max(result.iterations, 1);
    if (result.parameterValues.every(Number.isFinite)) u = result.parameterValues;
    converged = polish(u, linearize, chi2Of, n * 1e-24);
    if (converged) break;
  }
  if (nFree === 0) converged = true;
  const last = linearize(u);
  return {
    values: full(u),
    chi2: last.chi2 * yScale * yScale,
    iterations,
    converged,
    jtj: last.jtj,
    chi2Normalized: last.chi2,
  };
}

/**
 * Takes Gauss-Newton steps from u (in place) while they lower chi-square; true when the
 * predicted gain of a full step is negligible (a minimum).
 */
function polish(
  u: number[],
  linearize: (u: readonly number[]) => Linearization,
  chi2Of: (u: readonly number[]) => number,
  absoluteTolerance: number,
): boolean {
  for (let attempt = 0; attempt < 5; attempt++) {
    const { jtj, jtr, chi2 } = linearize(u);
    const l = cholesky(jtj);
    if (l === null) return false;
    const delta = choleskySolve(l, jtr);
    const predicted = delta.reduce((sum, d, k) => sum + d * (jtr[k] ?? 0), 0);
    if (!Number.isFinite(predicted)) return false;
    if (predicted <= RELATIVE_TOLERANCE * chi2 + absoluteTolerance) return true;
    const next = u.map((v, k) => v + (delta[k] ?? 0));
    if (!(chi2Of(next) < chi2)) return false;
    next.forEach((v, k) => {
      u[k] = v;
    });
  }
  return false;
}
