/** A command line that cannot be understood: unknown command, option or value. */
export class CliUsageError extends Error {
  override name = "CliUsageError";
}

/** A profile (`--profile`) that cannot be loaded or has the wrong shape. */
export class CliProfileError extends Error {
  override name = "CliProfileError";
}
