// Expected improvement, the acquisition function of the Bayesian-optimisation agent.
import { erfc } from "../special/erf.ts";
import type { GpPrediction } from "./gaussian-process.ts";

const SQRT_2 = Math.SQRT2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Standard normal cumulative distribution. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / SQRT_2);
}

/** Standard normal density. */
export function normalPdf(z: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
}

/**
 * Expected improvement over `best` when maximising: E[max(0, f − best − xi)] for
 * f ~ N(mean, variance). Never negative; with zero variance it is max(0, mean − best − xi).
 */
export function expectedImprovement(prediction: GpPrediction, best: number, xi = 0): number {
  const gain = prediction.mean - best - xi;
  const sd = Math.sqrt(prediction.variance);
  if (!(sd > 0)) return Math.max(0, gain);
  const z = gain / sd;
  // Rounding can make the sum a hair below zero far below the incumbent; the true value is not.
  return Math.max(0, gain * normalCdf(z) + sd * normalPdf(z));
}
