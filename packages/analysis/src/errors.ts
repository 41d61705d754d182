/** The base of every error thrown by @cerulean/analysis. */
export class AnalysisError extends Error {
  override name = "AnalysisError";
}

/** Data handed to a fit or a statistic that cannot be used (mismatched lengths, empty arrays). */
export class AnalysisInputError extends AnalysisError {
  override name = "AnalysisInputError";
}

/** A model built wrongly (duplicate parameter names, unknown parameters in a guess or fix). */
export class ModelDefinitionError extends AnalysisError {
  override name = "ModelDefinitionError";
}

/** A per-run result asked for before any run produced it (no peak found, no finished run). */
export class NoResultError extends AnalysisError {
  override name = "NoResultError";
}
