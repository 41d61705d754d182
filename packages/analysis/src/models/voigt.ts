import { faddeeva } from "../special/faddeeva.ts";
import { guessPeak } from "./guess.ts";
import { defineModel, type Model, type ModelOptions } from "./model.ts";
import { checkPeak } from "./peak-check.ts";
import { GAUSSIAN_FWHM_FACTOR } from "./peaks.ts";

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** Olivero & Longbothum's approximation of the Voigt fwhm (accurate to 0.02 %). */
function voigtFwhm(sigma: number, gamma: number): number {
  const fG = GAUSSIAN_FWHM_FACTOR * sigma;
  const fL = 2 * gamma;
  return 0.5346 * fL + Math.sqrt(0.2166 * fL * fL + fG * fG);
}

/** The unit-area Voigt profile at d = x - center. */
function voigtProfile(d: number, sigma: number, gamma: number): number {
  const scale = 1 / (sigma * Math.SQRT2);
  return faddeeva(d * scale, gamma * scale)[0] / (sigma * SQRT_2PI);
}

/**
 * The Voigt profile (a Gaussian of width sigma convolved with a Lorentzian of half-width gamma),
 * amplitude * Re[w(z)] / (sigma sqrt(2 pi)), z = (x - center + i gamma) / (sigma sqrt 2), as
 * lmfit's VoigtModel with gamma free. Derived `fwhm` (Olivero) and `height`.
 */
export function voigt(options: ModelOptions = {}): Model {
  return defineModel(
    {
      name: "voigt",
      params: [
        { name: "amplitude", role: "amplitude" },
        { name: "center", role: "position" },
        { name: "sigma", role: "width" },
        { name: "gamma", role: "shape" },
      ],
      bind([a = 0, c = 0, s = 0, g = 0]) {
        const sigma = Math.abs(s);
        const gamma = Math.abs(g);
        return (x) => a * voigtProfile(x - c, sigma, gamma);
      },
      guess(x, y) {
        const peak = guessPeak(x, y);
        // Equal Gaussian and Lorentzian widths make fwhm = 3.6013 sigma.
        const sigma = peak.fwhm / 3.6013;
        return [peak.height / voigtProfile(0, sigma, sigma), peak.center, sigma, sigma];
      },
      derived([a = 0, , s = 0, g = 0]) {
        const sigma = Math.abs(s);
        const gamma = Math.abs(g);
        return { fwhm: voigtFwhm(sigma, gamma), height: a * voigtProfile(0, sigma, gamma) };
      },
      check: ([, c = 0, s = 0, g = 0], data) =>
        checkPeak(c, voigtFwhm(Math.abs(s), Math.abs(g)), data),
      normalize: ([a = 0, c = 0, s = 0, g = 0]) => [a, c, Math.abs(s), Math.abs(g)],
    },
    options,
  );
}

/**
 * A weighted sum of a Gaussian and a Lorentzian of the same fwhm (2 sigma), as lmfit's
 * PseudoVoigtModel: (1 - fraction) G(x; sigma / sqrt(2 ln 2)) + fraction L(x; sigma), times amplitude.
 */
export function pseudoVoigt(options: ModelOptions = {}): Model {
  const gaussianSigma = (s: number) => Math.abs(s) / Math.sqrt(2 * Math.LN2);
  const unitHeight = (s: number, f: number) =>
    (1 - f) / (gaussianSigma(s) * SQRT_2PI) + f / (Math.PI * Math.abs(s));
  return defineModel(
    {
      name: "pseudo_voigt",
      params: [
        { name: "amplitude", role: "amplitude" },
        { name: "center", role: "position" },
        { name: "sigma", role: "width" },
        { name: "fraction", role: "shape" },
      ],
      bind([a = 0, c = 0, s = 0, f = 0]) {
        const sg = gaussianSigma(s);
        const gNorm = ((1 - f) * a) / (sg * SQRT_2PI);
        const k = 1 / (2 * sg * sg);
        const as = Math.abs(s);
        const lNorm = (f * a * as) / Math.PI;
        return (x) => {
          const d2 = (x - c) * (x - c);
          return gNorm * Math.exp(-d2 * k) + lNorm / (d2 + as * as);
        };
      },
      guess(x, y) {
        const peak = guessPeak(x, y);
        const sigma = peak.fwhm / 2;
        return [peak.height / unitHeight(sigma, 0.5), peak.center, sigma, 0.5];
      },
      derived([a = 0, , s = 0, f = 0]) {
        return { fwhm: 2 * Math.abs(s), height: a * unitHeight(s, f) };
      },
      check: ([, c = 0, s = 0], data) => checkPeak(c, 2 * Math.abs(s), data),
      normalize: ([a = 0, c = 0, s = 0, f = 0]) => [a, c, Math.abs(s), f],
    },
    options,
  );
}
