import { cholesky, choleskySolve } from "../linear-algebra.ts";
import { extent, fitLine } from "./guess.ts";
import { defineModel, type Model, type ModelOptions } from "./model.ts";

/** A constant c, as lmfit's ConstantModel; useful as the background of a composite. */
export function constant(options: ModelOptions = {}): Model {
  return defineModel(
    {
      name: "constant",
      params: [{ name: "c", role: "coefficient" }],
      bind:
        ([c = 0]) =>
        () =>
          c,
      bindGradient: () => (_x, out, o) => {
        out[o] = 1;
      },
      guess: (_x, y) => [y.reduce((sum, v) => sum + v, 0) / (y.length || 1)],
    },
    options,
  );
}

/** slope * x + intercept, as lmfit's LinearModel. */
export function linear(options: ModelOptions = {}): Model {
  return defineModel(
    {
      name: "linear",
      params: [
        { name: "slope", role: "coefficient" },
        { name: "intercept", role: "coefficient" },
      ],
      bind:
        ([m = 0, b = 0]) =>
        (x) =>
          m * x + b,
      bindGradient: () => (x, out, o) => {
        out[o] = x;
        out[o + 1] = 1;
      },
      guess(x, y) {
        const { slope, intercept } = fitLine(x, y);
        return [slope, intercept];
      },
    },
    options,
  );
}

/** Least-squares a x^2 + b x + c, solved in centred, scaled x for conditioning. */
function fitQuadratic(x: readonly number[], y: readonly number[]): [number, number, number] {
  const n = x.length;
  const m = x.reduce((sum, v) => sum + v, 0) / (n || 1);
  const s = extent(x.map((v) => Math.abs(v - m)))[1] || 1;
  const normal = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const rhs = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const t = ((x[i] ?? 0) - m) / s;
    const basis = [t * t, t, 1];
    for (let r = 0; r < 3; r++) {
      rhs[r] = (rhs[r] ?? 0) + (basis[r] ?? 0) * (y[i] ?? 0);
      const row = normal[r] as number[];
      for (let c = 0; c < 3; c++) row[c] = (row[c] ?? 0) + (basis[r] ?? 0) * (basis[c] ?? 0);
    }
  }
  const l = cholesky(normal);
  if (l === null) {
    const { slope, intercept } = fitLine(x, y);
    return [0, slope, intercept];
  }
  const [A = 0, B = 0, C = 0] = choleskySolve(l, rhs);
  return [A / (s * s), B / s - (2 * A * m) / (s * s), (A * m * m) / (s * s) - (B * m) / s + C];
}

/** a x^2 + b x + c, as lmfit's QuadraticModel. */
export function quadratic(options: ModelOptions = {}): Model {
  return defineModel(
    {
      name: "quadratic",
      params: [
        { name: "a", role: "coefficient" },
        { name: "b", role: "coefficient" },
        { name: "c", role: "coefficient" },
      ],
      bind:
        ([a = 0, b = 0, c = 0]) =>
        (x) =>
          (a * x + b) * x + c,
      bindGradient: () => (x, out, o) => {
        out[o] = x * x;
        out[o + 1] = x;
        out[o + 2] = 1;
      },
      guess: (x, y) => fitQuadratic(x, y),
    },
    options,
  );
}
