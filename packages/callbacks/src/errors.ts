/** The base of every error thrown by @cerulean/callbacks. */
export class CallbacksError extends Error {
  override name = "CallbacksError";
}

/** A callback configured wrongly (a field list that is not a list, keys that do not match a model). */
export class CallbackConfigurationError extends CallbacksError {
  override name = "CallbackConfigurationError";
}

/** A plot that could not be rendered to SVG or PNG. */
export class PlotRenderError extends CallbacksError {
  override name = "PlotRenderError";
}
