import { ModelDefinitionError } from "../errors.ts";
import type { BoundGradient, Model } from "./model.ts";

/**
 * The sum of several models, as lmfit's `model1 + model2`. Parameter names must be distinct: give
 * repeated models a prefix (`gaussian({ prefix: "p1_" })`). The guess takes peaks (models with a
 * position) first, each from what the previous components leave unexplained.
 * @example const model = composite(gaussian(), constant({ prefix: "bkg_" }));
 */
export function composite(...models: Model[]): Model {
  if (models.length === 0) throw new ModelDefinitionError("composite() needs at least one model");
  const paramNames = models.flatMap((m) => m.paramNames);
  const seen = new Set<string>();
  for (const name of paramNames) {
    if (seen.has(name)) {
      throw new ModelDefinitionError(
        `composite model has two parameters named "${name}"; give the repeated models distinct prefixes`,
      );
    }
    seen.add(name);
  }
  const offsets: number[] = [];
  let total = 0;
  for (const m of models) {
    offsets.push(total);
    total += m.paramNames.length;
  }
  const slices = (values: readonly number[]) =>
    models.map((m, i) => values.slice(offsets[i], (offsets[i] ?? 0) + m.paramNames.length));
  const guessOrder = models
    .map((m, i) => ({ i, peak: m.params.some((p) => p.role === "position") }))
    .sort((a, b) => Number(b.peak) - Number(a.peak))
    .map((entry) => entry.i);

  const model: Model = {
    name: models.map((m) => m.name).join(" + "),
    params: models.flatMap((m) => m.params),
    paramNames,
    independentVars: ["x"],
    bind(values) {
      const fs = slices(values).map((v, i) => (models[i] as Model).bind(v));
      return (x) => {
        let sum = 0;
        for (const f of fs) sum += f(x);
        return sum;
      };
    },
    guess(x, y) {
      const values = new Array<number>(total).fill(0);
      const residual = [...y];
      for (const i of guessOrder) {
        const m = models[i] as Model;
        const guessed = m.guess(x, residual);
        const f = m.bind(guessed);
        for (let j = 0; j < residual.length; j++) residual[j] = (residual[j] ?? 0) - f(x[j] ?? 0);
        guessed.forEach((v, k) => {
          values[(offsets[i] ?? 0) + k] = v;
        });
      }
      return values;
    },
    derived: (values) =>
      Object.assign({}, ...slices(values).map((v, i) => (models[i] as Model).derived(v))),
    check(values, data) {
      const parts = slices(values);
      for (const [i, m] of models.entries()) {
        const problem = m.check(parts[i] ?? [], data);
        if (problem !== null) return models.length > 1 ? `${m.name}: ${problem}` : problem;
      }
      return null;
    },
    normalize: (values) => slices(values).flatMap((v, i) => (models[i] as Model).normalize(v)),
  };
  if (models.every((m) => m.bindGradient)) {
    model.bindGradient = (values) => {
      const gs = slices(values).map(
        (v, i) => (models[i] as Model).bindGradient?.(v) as BoundGradient,
      );
      return (x, out, o) => {
        gs.forEach((g, i) => {
          g(x, out, o + (offsets[i] ?? 0));
        });
      };
    };
  }
  return model;
}
