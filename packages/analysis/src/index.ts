export {
  AnalysisError,
  AnalysisInputError,
  ModelDefinitionError,
  NoResultError,
} from "./errors.ts";
export { type FitOptions, fit } from "./fit/fit.ts";
export type { FitFailure, FitFailureCode, FitResult } from "./fit/fit-result.ts";
export { cholesky, choleskySolve, invertSymmetric, type Matrix } from "./linear-algebra.ts";
export { composite } from "./models/composite.ts";
export { exponential } from "./models/exponential.ts";
export {
  extent,
  fitLine,
  guessPeak,
  median,
  medianSpacing,
  type PeakGuess,
} from "./models/guess.ts";
export {
  type BoundFunction,
  type BoundGradient,
  type DataSummary,
  defineModel,
  evaluateModel,
  type Model,
  type ModelOptions,
  type ModelSpec,
  type ParameterInfo,
  type ParamRole,
} from "./models/model.ts";
export { GAUSSIAN_FWHM_FACTOR, gaussian, lorentzian } from "./models/peaks.ts";
export { constant, linear, quadratic } from "./models/polynomial.ts";
export { step } from "./models/step.ts";
export { pseudoVoigt, voigt } from "./models/voigt.ts";
export {
  derivativePeakStats,
  type PeakStatsOptions,
  type PeakStatsResult,
  peakStats,
  type XY,
} from "./peak-stats.ts";
export { type PeakTarget, peakTargetPosition } from "./peak-target.ts";
export { erf, erfc } from "./special/erf.ts";
export { fDistributionSf, logGamma, regularizedBeta } from "./special/f-distribution.ts";
export { type Complex, faddeeva } from "./special/faddeeva.ts";
