import { ModelDefinitionError } from "../errors.ts";

/**
 * What a parameter means, so fits can choose scales and judge results without knowing the model:
 * a position and a width are in x units, an amplitude scales y, the rest are shape factors or
 * polynomial coefficients.
 */
export type ParamRole = "amplitude" | "position" | "width" | "shape" | "coefficient";

/** One parameter of a model. */
export interface ParameterInfo {
  /** The name, including the model's prefix ("g1_center"). */
  name: string;
  role: ParamRole;
}

/** What a fit knows about its data, for plausibility checks. */
export interface DataSummary {
  xMin: number;
  xMax: number;
  /** Median distance between neighbouring distinct x values. */
  spacing: number;
}

/** y = f(x) for parameter values bound once. */
export type BoundFunction = (x: number) => number;

/** Writes df/dp_k at `out[offset + k]` for every parameter k. */
export type BoundGradient = (x: number, out: number[], offset: number) => void;

/**
 * A fit model of one independent variable `x`, in the spirit of lmfit's Model: named parameters
 * (lmfit's names and meanings), an initial guess from data, derived quantities (fwhm, height).
 */
export interface Model {
  /** "gaussian", or "gaussian + linear" for a composite. */
  readonly name: string;
  readonly params: readonly ParameterInfo[];
  readonly paramNames: readonly string[];
  /** The model's independent variables, as LiveFit maps them to data fields; always ["x"] here. */
  readonly independentVars: readonly string[];
  /** Binds parameter values (in paramNames order) and returns f(x). */
  bind(values: readonly number[]): BoundFunction;
  /** The analytic gradient, when the model has one (fits use finite differences otherwise). */
  bindGradient?(values: readonly number[]): BoundGradient;
  /** Initial parameter values estimated from the data. */
  guess(x: readonly number[], y: readonly number[]): number[];
  /** Quantities computed from the parameters (fwhm, height), keyed with the model's prefix. */
  derived(values: readonly number[]): Record<string, number>;
  /** A reason why fitted values cannot be trusted (a peak outside the data), or null. */
  check(values: readonly number[], data: DataSummary): string | null;
  /** Canonical values for equivalent solutions (a width's sign), applied after a fit. */
  normalize(values: readonly number[]): number[];
}

/** The definition of a simple model, with bare parameter names; see defineModel. */
export interface ModelSpec {
  name: string;
  params: readonly { name: string; role: ParamRole }[];
  bind(p: readonly number[]): BoundFunction;
  bindGradient?(p: readonly number[]): BoundGradient;
  guess(x: readonly number[], y: readonly number[]): number[];
  /** Bare-named derived quantities. */
  derived?(p: readonly number[]): Record<string, number>;
  check?(p: readonly number[], data: DataSummary): string | null;
  normalize?(p: readonly number[]): number[];
}

/** Options shared by every model factory. */
export interface ModelOptions {
  /** Prepended to every parameter and derived name, as lmfit's prefix ("g1_"). */
  prefix?: string;
}

/** Builds a Model from a spec, applying the prefix to every parameter and derived name. */
export function defineModel(spec: ModelSpec, options: ModelOptions = {}): Model {
  const prefix = options.prefix ?? "";
  if (/[.\s]/.test(prefix)) {
    throw new ModelDefinitionError(
      `model prefix ${JSON.stringify(prefix)} must not contain dots or spaces (it becomes part of data keys)`,
    );
  }
  const params = spec.params.map((p) => ({ name: prefix + p.name, role: p.role }));
  const model: Model = {
    name: spec.name,
    params,
    paramNames: params.map((p) => p.name),
    independentVars: ["x"],
    bind: (values) => spec.bind(values),
    guess: (x, y) => spec.guess(x, y),
    derived(values) {
      const bare = spec.derived?.(values) ?? {};
      return Object.fromEntries(Object.entries(bare).map(([k, v]) => [prefix + k, v]));
    },
    check: (values, data) => spec.check?.(values, data) ?? null,
    normalize: (values) => spec.normalize?.(values) ?? [...values],
  };
  const { bindGradient } = spec;
  if (bindGradient) model.bindGradient = (values) => bindGradient(values);
  return model;
}

/** Evaluates a model at many x for named parameter values. */
export function evaluateModel(
  model: Model,
  params: Readonly<Record<string, number>>,
  x: readonly number[],
): number[] {
  const values = model.paramNames.map((name) => {
    const v = params[name];
    if (v === undefined) {
      throw new ModelDefinitionError(
        `evaluateModel: parameter "${name}" of model "${model.name}" has no value (got ${JSON.stringify(Object.keys(params))})`,
      );
    }
    return v;
  });
  const f = model.bind(values);
  return x.map(f);
}
