import { extent, fitLine } from "./guess.ts";
import { defineModel, type Model, type ModelOptions } from "./model.ts";

/** amplitude * exp(-x / decay), as lmfit's ExponentialModel (a negative decay grows). */
export function exponential(options: ModelOptions = {}): Model {
  return defineModel(
    {
      name: "exponential",
      params: [
        { name: "amplitude", role: "amplitude" },
        { name: "decay", role: "width" },
      ],
      bind([a = 0, t = 0]) {
        const k = 1 / t;
        return (x) => a * Math.exp(-x * k);
      },
      bindGradient([a = 0, t = 0]) {
        const k = 1 / t;
        return (x, out, o) => {
          const e = Math.exp(-x * k);
          out[o] = e;
          out[o + 1] = a * e * x * k * k;
        };
      },
      guess(x, y) {
        const [lo, hi] = extent(x);
        const span = hi - lo || 1;
        const sign = y.every((v) => v > 0) ? 1 : y.every((v) => v < 0) ? -1 : 0;
        if (sign !== 0) {
          // A straight line through log|y| gives both parameters.
          const { slope, intercept } = fitLine(
            x,
            y.map((v) => Math.log(Math.abs(v))),
          );
          if (slope !== 0 && Number.isFinite(slope) && Math.abs(1 / slope) < 1e3 * span) {
            return [sign * Math.exp(intercept), -1 / slope];
          }
        }
        return [y.reduce((sum, v) => sum + v, 0) / (y.length || 1), span];
      },
    },
    options,
  );
}
