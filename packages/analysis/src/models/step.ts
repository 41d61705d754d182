import { erf } from "../special/erf.ts";
import { medianSpacing, sortByX } from "./guess.ts";
import { defineModel, type Model, type ModelOptions } from "./model.ts";
import { fmt } from "./peak-check.ts";

const INV_SQRT_PI = 1 / Math.sqrt(Math.PI);
/** erf(u) = 0.5 at u = 0.476936: the 25 %-75 % rise of the step spans 0.953872 sigma. */
const QUARTILE_SPAN = 2 * 0.4769362762044699;
/** fwhm of the step's derivative, exp(-(x-c)^2/sigma^2), in units of sigma: 2 sqrt(ln 2). */
const EDGE_FWHM_FACTOR = 2 * Math.sqrt(Math.LN2);

/** Where sorted y first crosses `level`, by linear interpolation (undefined if never). */
function firstCrossing(x: readonly number[], y: readonly number[], level: number) {
  for (let i = 1; i < x.length; i++) {
    const y0 = (y[i - 1] ?? 0) - level;
    const y1 = (y[i] ?? 0) - level;
    if (y0 === 0) return x[i - 1] ?? 0;
    if (y0 * y1 < 0) {
      const x0 = x[i - 1] ?? 0;
      return x0 + ((x[i] ?? 0) - x0) * (y0 / (y0 - y1));
    }
  }
  return undefined;
}

/**
 * An erf step from 0 to amplitude, amplitude * (1 + erf((x - center) / sigma)) / 2, as lmfit's
 * StepModel(form="erf"). Add a constant for an offset. Derived `fwhm` is the width of the edge's
 * derivative (1.6651 sigma), the beam size in a knife-edge scan.
 */
export function step(options: ModelOptions = {}): Model {
  return defineModel(
    {
      name: "step",
      params: [
        { name: "amplitude", role: "amplitude" },
        { name: "center", role: "position" },
        { name: "sigma", role: "width" },
      ],
      bind([a = 0, c = 0, s = 0]) {
        const inv = 1 / Math.abs(s);
        return (x) => 0.5 * a * (1 + erf((x - c) * inv));
      },
      bindGradient([a = 0, c = 0, s = 0]) {
        const inv = 1 / Math.abs(s);
        return (x, out, o) => {
          const u = (x - c) * inv;
          const slope = a * INV_SQRT_PI * Math.exp(-u * u);
          out[o] = 0.5 * (1 + erf(u));
          out[o + 1] = -slope * inv;
          out[o + 2] = (-slope * u) / s;
        };
      },
      guess(xIn, yIn) {
        const { x, y } = sortByX(xIn, yIn);
        const n = x.length;
        const edge = Math.max(1, Math.floor(n / 10));
        const mean = (v: number[]) => v.reduce((sum, e) => sum + e, 0) / (v.length || 1);
        const first = mean(y.slice(0, edge));
        const last = mean(y.slice(n - edge));
        const amplitude = last - first;
        const at = (fraction: number) => firstCrossing(x, y, first + fraction * amplitude);
        const center = at(0.5) ?? ((x[0] ?? 0) + (x[n - 1] ?? 0)) / 2;
        const q1 = at(0.25);
        const q3 = at(0.75);
        const spacing = medianSpacing(x) || 1;
        const sigma =
          q1 !== undefined && q3 !== undefined && q3 !== q1
            ? Math.abs(q3 - q1) / QUARTILE_SPAN
            : spacing;
        return [amplitude, center, Math.max(sigma, spacing / 2)];
      },
      derived: ([, , s = 0]) => ({ fwhm: EDGE_FWHM_FACTOR * Math.abs(s) }),
      check([, c = 0], data) {
        if (c < data.xMin || c > data.xMax) {
          return `the step centre ${fmt(c)} lies outside the scanned range [${fmt(data.xMin)}, ${fmt(data.xMax)}]`;
        }
        return null;
      },
      normalize: ([a = 0, c = 0, s = 0]) => [a, c, Math.abs(s)],
    },
    options,
  );
}
