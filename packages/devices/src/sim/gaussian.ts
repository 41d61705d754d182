// The formulas of ophyd.sim's SynGauss and Syn2DGauss, as pure functions.
import { poisson, type RandomSource } from "./random.ts";

/** The noise models of ophyd.sim detectors. */
export type Noise = "none" | "poisson" | "uniform";

/** `Imax · exp(−(x − center)² / (2 sigma²))` */
export function gaussian(x: number, center: number, Imax: number, sigma: number): number {
  return Imax * Math.exp(-((x - center) ** 2) / (2 * sigma ** 2));
}

/** `Imax · exp(−((x − cx)² + (y − cy)²) / (2 sigma²))` */
export function gaussian2d(
  [x, y]: readonly [number, number],
  [cx, cy]: readonly [number, number],
  Imax: number,
  sigma: number,
): number {
  return Imax * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * sigma ** 2));
}

/**
 * Adds noise as ophyd.sim does: "poisson" → a Poisson count of mean round(v);
 * "uniform" → v + uniform(−1, 1) · multiplier; "none" → v.
 */
export function addNoise(
  v: number,
  noise: Noise,
  multiplier: number,
  random: RandomSource,
): number {
  if (noise === "poisson") return poisson(random, Math.round(v));
  if (noise === "uniform") return v + (random() * 2 - 1) * multiplier;
  return v;
}
