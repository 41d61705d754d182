import { guessPeak } from "./guess.ts";
import { defineModel, type Model, type ModelOptions } from "./model.ts";
import { checkPeak } from "./peak-check.ts";

const SQRT_2PI = Math.sqrt(2 * Math.PI);
/** fwhm / sigma of a Gaussian: 2 sqrt(2 ln 2). */
export const GAUSSIAN_FWHM_FACTOR = 2 * Math.sqrt(2 * Math.LN2);

const PEAK_PARAMS = [
  { name: "amplitude", role: "amplitude" },
  { name: "center", role: "position" },
  { name: "sigma", role: "width" },
] as const;

const absWidth = (p: readonly number[]) => [p[0] ?? 0, p[1] ?? 0, Math.abs(p[2] ?? 0)];

/**
 * amplitude / (sigma sqrt(2 pi)) * exp(-(x - center)^2 / (2 sigma^2)), as lmfit's GaussianModel:
 * `amplitude` is the area; derived `fwhm` = 2.3548 sigma and `height`.
 */
export function gaussian(options: ModelOptions = {}): Model {
  return defineModel(
    {
      name: "gaussian",
      params: PEAK_PARAMS,
      bind([a = 0, c = 0, s = 0]) {
        const norm = a / (Math.abs(s) * SQRT_2PI);
        const k = 1 / (2 * s * s);
        return (x) => {
          const d = x - c;
          return norm * Math.exp(-d * d * k);
        };
      },
      bindGradient([a = 0, c = 0, s = 0]) {
        const unit = 1 / (Math.abs(s) * SQRT_2PI);
        const k = 1 / (2 * s * s);
        return (x, out, o) => {
          const d = x - c;
          const e = unit * Math.exp(-d * d * k);
          const g = a * e;
          out[o] = e;
          out[o + 1] = (g * d) / (s * s);
          out[o + 2] = g * ((d * d) / (s * s * s) - 1 / s);
        };
      },
      guess(x, y) {
        const peak = guessPeak(x, y);
        const sigma = peak.fwhm / GAUSSIAN_FWHM_FACTOR;
        return [peak.height * sigma * SQRT_2PI, peak.center, sigma];
      },
      derived([a = 0, , s = 0]) {
        return { fwhm: GAUSSIAN_FWHM_FACTOR * Math.abs(s), height: a / (Math.abs(s) * SQRT_2PI) };
      },
      check: ([, c = 0, s = 0], data) => checkPeak(c, GAUSSIAN_FWHM_FACTOR * Math.abs(s), data),
      normalize: absWidth,
    },
    options,
  );
}

/**
 * (amplitude / pi) * sigma / ((x - center)^2 + sigma^2), as lmfit's LorentzianModel:
 * `amplitude` is the area; derived `fwhm` = 2 sigma and `height`.
 */
export function lorentzian(options: ModelOptions = {}): Model {
  return defineModel(
    {
      name: "lorentzian",
      params: PEAK_PARAMS,
      bind([a = 0, c = 0, s = 0]) {
        const as = Math.abs(s);
        const s2 = s * s;
        return (x) => {
          const d = x - c;
          return (a * as) / (Math.PI * (d * d + s2));
        };
      },
      bindGradient([a = 0, c = 0, s = 0]) {
        const as = Math.abs(s);
        const sign = s < 0 ? -1 : 1;
        const s2 = s * s;
        return (x, out, o) => {
          const d = x - c;
          const q = d * d + s2;
          out[o] = as / (Math.PI * q);
          out[o + 1] = (2 * a * as * d) / (Math.PI * q * q);
          out[o + 2] = ((a * sign) / (Math.PI * q)) * (1 - (2 * s2) / q);
        };
      },
      guess(x, y) {
        const peak = guessPeak(x, y);
        const sigma = peak.fwhm / 2;
        return [peak.height * Math.PI * sigma, peak.center, sigma];
      },
      derived([a = 0, , s = 0]) {
        return { fwhm: 2 * Math.abs(s), height: a / (Math.PI * Math.abs(s)) };
      },
      check: ([, c = 0, s = 0], data) => checkPeak(c, 2 * Math.abs(s), data),
      normalize: absWidth,
    },
    options,
  );
}
