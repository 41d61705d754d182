/** Base class of the web package's errors. */
export class WebUiError extends Error {
  override name = "WebUiError";
}

/** A browser-side dependency (preact, htm, uplot) could not be found in node_modules. */
export class AssetNotFoundError extends WebUiError {
  override name = "AssetNotFoundError";
}
